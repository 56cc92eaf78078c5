import { z } from 'zod';

export const finite = z.number().refine(Number.isFinite, 'must be a finite number');
export const nonNegInt = z.number().int().nonnegative();
export const unitInterval = z.number().min(0).max(1);
