-- CreateTable
CREATE TABLE "ProductSignal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "variantId" TEXT,
    "kind" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "details" TEXT NOT NULL DEFAULT '{}'
);

-- CreateTable
CREATE TABLE "Opportunity" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "liveKey" TEXT,
    "status" TEXT NOT NULL DEFAULT 'live',
    "title" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "evidence" TEXT NOT NULL DEFAULT '{}',
    "score" REAL NOT NULL DEFAULT 0,
    "detectedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "campaignId" TEXT
);

-- CreateTable
CREATE TABLE "Campaign" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "angle" TEXT NOT NULL,
    "opportunityId" TEXT,
    "title" TEXT NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'suggested',
    "audienceSize" INTEGER NOT NULL DEFAULT 0,
    "predictedRevenue" INTEGER NOT NULL DEFAULT 0,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "plan" TEXT NOT NULL DEFAULT '{}',
    "currentVersionId" TEXT,
    "scheduledAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CampaignVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "author" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "generation" TEXT NOT NULL DEFAULT '[]',
    "findings" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "CampaignTransition" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "reason" TEXT,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "CampaignRecipient" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "customerId" TEXT,
    "email" TEXT NOT NULL,
    "firstName" TEXT,
    "score" REAL NOT NULL DEFAULT 0,
    "anchorAt" DATETIME,
    "checkoutToken" TEXT,
    "products" TEXT NOT NULL DEFAULT '[]',
    "reason" TEXT NOT NULL DEFAULT '',
    "holdout" BOOLEAN NOT NULL DEFAULT false,
    "exitedAt" DATETIME,
    "exitReason" TEXT
);

-- CreateIndex
CREATE INDEX "ProductSignal_shop_kind_at_idx" ON "ProductSignal"("shop", "kind", "at");

-- CreateIndex
CREATE INDEX "ProductSignal_shop_productId_at_idx" ON "ProductSignal"("shop", "productId", "at");

-- CreateIndex
CREATE INDEX "Opportunity_shop_status_detectedAt_idx" ON "Opportunity"("shop", "status", "detectedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Opportunity_shop_liveKey_key" ON "Opportunity"("shop", "liveKey");

-- CreateIndex
CREATE INDEX "Campaign_shop_status_createdAt_idx" ON "Campaign"("shop", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Campaign_shop_kind_idx" ON "Campaign"("shop", "kind");

-- CreateIndex
CREATE INDEX "CampaignVersion_shop_campaignId_idx" ON "CampaignVersion"("shop", "campaignId");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignVersion_campaignId_number_key" ON "CampaignVersion"("campaignId", "number");

-- CreateIndex
CREATE INDEX "CampaignTransition_shop_campaignId_at_idx" ON "CampaignTransition"("shop", "campaignId", "at");

-- CreateIndex
CREATE INDEX "CampaignRecipient_shop_campaignId_idx" ON "CampaignRecipient"("shop", "campaignId");

-- CreateIndex
CREATE INDEX "CampaignRecipient_shop_customerId_idx" ON "CampaignRecipient"("shop", "customerId");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignRecipient_campaignId_email_key" ON "CampaignRecipient"("campaignId", "email");

