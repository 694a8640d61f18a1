-- CreateTable
CREATE TABLE "EspConnection" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "provider" TEXT NOT NULL,
    "credentials" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'unverified',
    "lastError" TEXT,
    "verifiedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "Send" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "recipientId" TEXT NOT NULL,
    "customerId" TEXT,
    "email" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "variant" INTEGER NOT NULL DEFAULT 0,
    "scheduledAt" DATETIME NOT NULL,
    "windowEndsAt" DATETIME,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedAt" DATETIME,
    "sentAt" DATETIME,
    "providerMessageId" TEXT,
    "skipReason" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "EmailEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "sendId" TEXT,
    "campaignId" TEXT,
    "email" TEXT,
    "type" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "url" TEXT,
    "occurredAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "OrderAttribution" (
    "shop" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "sendId" TEXT,
    "method" TEXT NOT NULL,
    "revenue" INTEGER NOT NULL,
    "currency" TEXT NOT NULL,
    "orderedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shop", "orderId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Send_idempotencyKey_key" ON "Send"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Send_shop_status_scheduledAt_idx" ON "Send"("shop", "status", "scheduledAt");

-- CreateIndex
CREATE INDEX "Send_status_scheduledAt_idx" ON "Send"("status", "scheduledAt");

-- CreateIndex
CREATE INDEX "Send_shop_email_sentAt_idx" ON "Send"("shop", "email", "sentAt");

-- CreateIndex
CREATE INDEX "Send_shop_campaignId_idx" ON "Send"("shop", "campaignId");

-- CreateIndex
CREATE INDEX "EmailEvent_shop_campaignId_type_idx" ON "EmailEvent"("shop", "campaignId", "type");

-- CreateIndex
CREATE INDEX "EmailEvent_shop_sendId_idx" ON "EmailEvent"("shop", "sendId");

-- CreateIndex
CREATE UNIQUE INDEX "EmailEvent_shop_source_eventKey_key" ON "EmailEvent"("shop", "source", "eventKey");

-- CreateIndex
CREATE INDEX "OrderAttribution_shop_campaignId_idx" ON "OrderAttribution"("shop", "campaignId");

