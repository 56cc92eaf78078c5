/** Names every end of the protocol shares. */
export const SUBMODULES = ['regression', 'classification', 'augmentation', 'segmentation'] as const;
export type SubmoduleId = (typeof SUBMODULES)[number];

export const BACKENDS = ['gpu', 'node', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export const BACKEND_CHOICES = ['auto', ...BACKENDS] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export const PROFILES = ['quick', 'full'] as const;
export type Profile = (typeof PROFILES)[number];
