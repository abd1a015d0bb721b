// The web metric provider's request timeout: the loader checks it, the analysis activity applies it.

/** Timeout of a web metric that sets none (Argo Rollouts' default too). */
export const DEFAULT_WEB_TIMEOUT = '10s';

/** Longest timeout a web metric may set: three tries must fit in the analysis activity's 3 minutes. */
export const MAX_WEB_TIMEOUT = '30s';
