import type { LabCommand } from './types';

export const showLog: LabCommand = (c) => c.log.show();
