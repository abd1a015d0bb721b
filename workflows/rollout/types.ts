// Types the rollout workflow shares with its activities and clients (type-only imports: safe in workflows).

export type { RolloutInspection, RolloutTarget } from '../../activities/rollout/types.js';
export type { RequestMatch, RouteSpec, Routes } from '../../core/traffic/routes.js';
export type { MetricCheck, RolloutSpec } from '../../schemas/types.generated.js';
