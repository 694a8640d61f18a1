-- CreateTable
CREATE TABLE "CustomerInsight" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "affinityState" TEXT NOT NULL DEFAULT '{}',
    "topAffinities" TEXT NOT NULL DEFAULT '[]',
    "stage" TEXT,
    "previousStage" TEXT,
    "stageChangedAt" TIMESTAMP(3),
    "stageReason" TEXT,
    "pAlive" DOUBLE PRECISION,
    "expectedPurchases90d" DOUBLE PRECISION,
    "expectedOrderValue" INTEGER,
    "clv" INTEGER,
    "rfm" TEXT,
    "transactions" INTEGER NOT NULL DEFAULT 0,
    "totalSpent" INTEGER NOT NULL DEFAULT 0,
    "lastOrderAt" TIMESTAMP(3),
    "expectedNextOrderAt" TIMESTAMP(3),
    "basis" TEXT,
    "computedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CustomerInsight_pkey" PRIMARY KEY ("shop","customerId")
);

-- CreateTable
CREATE TABLE "CustomerAffinity" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "CustomerAffinity_pkey" PRIMARY KEY ("shop","customerId","dimension","key")
);

-- CreateTable
CREATE TABLE "ShopInsightModel" (
    "shop" TEXT NOT NULL,
    "lifecycle" TEXT NOT NULL DEFAULT '{}',
    "recommenderIndex" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'ready',
    "note" TEXT,
    "customers" INTEGER NOT NULL DEFAULT 0,
    "events" INTEGER NOT NULL DEFAULT 0,
    "rebuiltAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "ShopInsightModel_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "Suppression" (
    "shop" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT '',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Suppression_pkey" PRIMARY KEY ("shop","email")
);

-- CreateIndex
CREATE INDEX "CustomerInsight_shop_stage_idx" ON "CustomerInsight"("shop", "stage");

-- CreateIndex
CREATE INDEX "CustomerInsight_shop_clv_idx" ON "CustomerInsight"("shop", "clv");

-- CreateIndex
CREATE INDEX "CustomerAffinity_shop_dimension_key_score_idx" ON "CustomerAffinity"("shop", "dimension", "key", "score");

