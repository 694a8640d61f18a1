-- CreateTable
CREATE TABLE "CustomerInsight" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "affinityState" TEXT NOT NULL DEFAULT '{}',
    "topAffinities" TEXT NOT NULL DEFAULT '[]',
    "stage" TEXT,
    "previousStage" TEXT,
    "stageChangedAt" DATETIME,
    "stageReason" TEXT,
    "pAlive" REAL,
    "expectedPurchases90d" REAL,
    "expectedOrderValue" INTEGER,
    "clv" INTEGER,
    "rfm" TEXT,
    "transactions" INTEGER NOT NULL DEFAULT 0,
    "totalSpent" INTEGER NOT NULL DEFAULT 0,
    "lastOrderAt" DATETIME,
    "expectedNextOrderAt" DATETIME,
    "basis" TEXT,
    "computedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "customerId")
);

-- CreateTable
CREATE TABLE "CustomerAffinity" (
    "shop" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "score" REAL NOT NULL,

    PRIMARY KEY ("shop", "customerId", "dimension", "key")
);

-- CreateTable
CREATE TABLE "ShopInsightModel" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "lifecycle" TEXT NOT NULL DEFAULT '{}',
    "recommenderIndex" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'ready',
    "note" TEXT,
    "customers" INTEGER NOT NULL DEFAULT 0,
    "events" INTEGER NOT NULL DEFAULT 0,
    "rebuiltAt" DATETIME NOT NULL,
    "durationMs" INTEGER NOT NULL DEFAULT 0
);

-- CreateTable
CREATE TABLE "Suppression" (
    "shop" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "source" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("shop", "email")
);

-- CreateIndex
CREATE INDEX "CustomerInsight_shop_stage_idx" ON "CustomerInsight"("shop", "stage");

-- CreateIndex
CREATE INDEX "CustomerInsight_shop_clv_idx" ON "CustomerInsight"("shop", "clv");

-- CreateIndex
CREATE INDEX "CustomerAffinity_shop_dimension_key_score_idx" ON "CustomerAffinity"("shop", "dimension", "key", "score");

