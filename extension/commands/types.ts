import type { Container } from '../container';

/** A command handler; arguments come from command URIs (walkthrough links) or `executeCommand`. */
export type LabCommand = (container: Container, ...args: unknown[]) => unknown;
