-- CreateTable
CREATE TABLE "CampaignDiscount" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "percent" INTEGER NOT NULL,
    "discountId" TEXT,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CampaignDiscount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DiscountCode" (
    "shop" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "recipientId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DiscountCode_pkey" PRIMARY KEY ("shop","code")
);

-- CreateIndex
CREATE INDEX "CampaignDiscount_shop_campaignId_idx" ON "CampaignDiscount"("shop", "campaignId");

-- CreateIndex
CREATE UNIQUE INDEX "CampaignDiscount_campaignId_step_key" ON "CampaignDiscount"("campaignId", "step");

-- CreateIndex
CREATE UNIQUE INDEX "DiscountCode_campaignId_step_recipientId_key" ON "DiscountCode"("campaignId", "step", "recipientId");

