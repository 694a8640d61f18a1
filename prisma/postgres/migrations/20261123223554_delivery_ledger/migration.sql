-- CreateTable
CREATE TABLE "EspConnection" (
    "shop" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "credentials" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'unverified',
    "lastError" TEXT,
    "verifiedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "EspConnection_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "Send" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "campaignId" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "recipientId" TEXT NOT NULL,
    "customerId" TEXT,
    "email" TEXT NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "variant" INTEGER NOT NULL DEFAULT 0,
    "scheduledAt" TIMESTAMP(3) NOT NULL,
    "windowEndsAt" TIMESTAMP(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedAt" TIMESTAMP(3),
    "sentAt" TIMESTAMP(3),
    "providerMessageId" TEXT,
    "skipReason" TEXT,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Send_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "EmailEvent" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "sendId" TEXT,
    "campaignId" TEXT,
    "email" TEXT,
    "type" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "eventKey" TEXT NOT NULL,
    "url" TEXT,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EmailEvent_pkey" PRIMARY KEY ("id")
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
    "orderedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderAttribution_pkey" PRIMARY KEY ("shop","orderId")
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

