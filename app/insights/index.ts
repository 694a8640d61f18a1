// Public API of insights: pure functions over plain, serialisable data. Persistence (one AffinityState
// per customer, one serialised RecommenderIndex per shop) and wiring belong to the caller.

// Contracts
export {
  INSIGHT_EVENT_TYPES,
  catalogItemSchema,
  insightEventSchema,
  instantSchema,
  lifecycleOrderSchema,
  recommendationQuerySchema,
  type CatalogItem,
  type CatalogLookup,
  type InsightEvent,
  type InsightEventType,
  type LifecycleOrder,
  type RecommendationQuery,
} from "./schemas";
export { MS_PER_DAY, parseInstant } from "./time";

// Affinity
export {
  AFFINITY_DIMENSIONS,
  affinityConfigSchema,
  defaultAffinityConfig,
  type AffinityConfig,
  type AffinityConfigInput,
  type AffinityDimension,
} from "./affinity/affinity-config";
export {
  affinityStateSchema,
  applyEvent,
  createAffinityState,
  restoreAffinityState,
  type AffinityEntry,
  type AffinityState,
} from "./affinity/affinity-state";
export {
  affinityOf,
  explainAffinity,
  readAffinities,
  topAffinities,
  type AffinityEvidence,
  type AffinityScore,
} from "./affinity/affinity-read";

// Recommendations
export {
  defaultIndexConfig,
  defaultScoringConfig,
  indexConfigSchema,
  scoringConfigSchema,
  type IndexConfig,
  type IndexConfigInput,
  type ScoringConfig,
  type ScoringConfigInput,
} from "./recommend/recommender-config";
export {
  createRecommenderIndex,
  recordEventInIndex,
  restoreIndex,
  serialiseIndex,
  serialisedIndexSchema,
  type RecommenderIndex,
  type SerialisedRecommenderIndex,
} from "./recommend/recommender-index";
export { recommendProducts, type RecommendInput, type RecommendationReason, type RecommendedProduct } from "./recommend/recommend";

// One-call facade shared by jobs, CLIs and the benchmark
export {
  createShopInsights,
  ingestCustomerEvent,
  ingestEvent,
  insightsConfigSchema,
  permissiveCatalog,
  recommendFor,
  type InsightsConfig,
  type InsightsConfigInput,
  type RecommendOptions,
  type ShopInsights,
} from "./engine";

// Lifecycle
export { PurchaseHistories, summarisePurchases, type PurchaseSummary } from "./lifecycle/purchase-summary";
export { rfmReference, rfmScoreAgainst, rfmScores, type RfmReference, type RfmScore } from "./lifecycle/rfm";
export { LIFECYCLE_STAGES, classifyStage, expectedInterval, stageConfigSchema, type LifecycleStage, type StageConfig } from "./lifecycle/stages";
export {
  BG_NBD_PARAMS,
  expectedPurchases,
  fitBgNbd,
  probabilityAlive,
  weakBgNbdPrior,
  type BgNbdParams,
  type FitOptions,
  type RecencyFrequency,
} from "./lifecycle/bg-nbd";
export {
  GAMMA_GAMMA_PARAMS,
  expectedAverageValue,
  fitGammaGamma,
  weakGammaGammaPrior,
  type GammaGammaParams,
  type RepeatSpend,
} from "./lifecycle/gamma-gamma";
export type { LogNormalPrior, ModelFit, NotFittedReason, Uncertainty } from "./lifecycle/fit-model";
export {
  analyseLifecycle,
  fitShopLifecycle,
  scoreCustomer,
  type ShopLifecycleModel,
  lifecycleConfigSchema,
  type CustomerLifecycle,
  type LifecycleAnalysis,
  type LifecycleConfig,
  type LifecycleConfigInput,
} from "./lifecycle/lifecycle";
export { loadSpecialFunctions } from "./special-functions";

// Offline evaluation
export {
  CooccurrenceRecommender,
  PopularityRecommender,
  RecentPopularityRecommender,
  SessionKnnRecommender,
  type EvaluationQuery,
  type OfflineRecommender,
} from "./evaluation/baselines";
export { EngineRecommender, TimeSplitEvaluation, type EvaluationResult } from "./evaluation/time-split";
export { MetricsAccumulator, scoreRanking, type RankingMetrics } from "./evaluation/metrics";
