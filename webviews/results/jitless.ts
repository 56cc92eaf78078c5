/**
 * Imported first by main.ts. zod probes `new Function` when a schema is built to decide whether to compile
 * validators; the webview's CSP forbids it and each probe would log a violation. This must run before any
 * module that builds schemas, hence its own module.
 */
import { config } from 'zod';

config({ jitless: true });
