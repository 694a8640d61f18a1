-- CreateTable
CREATE TABLE "StockAlertRequest" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "variantId" TEXT,
    "email" TEXT NOT NULL,
    "customerId" TEXT,
    "visitorId" TEXT,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "notifiedAt" TIMESTAMP(3),
    "campaignId" TEXT,

    CONSTRAINT "StockAlertRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StockAlertRequest_shop_productId_notifiedAt_idx" ON "StockAlertRequest"("shop", "productId", "notifiedAt");

-- CreateIndex
CREATE INDEX "StockAlertRequest_shop_email_idx" ON "StockAlertRequest"("shop", "email");

-- CreateIndex
CREATE UNIQUE INDEX "StockAlertRequest_shop_productId_email_key" ON "StockAlertRequest"("shop", "productId", "email");

