-- AlterTable
ALTER TABLE "Order" ADD COLUMN "phone" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CampaignRecipient" (
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
    "expectedValue" INTEGER NOT NULL DEFAULT 0,
    "evidence" TEXT NOT NULL DEFAULT '{}',
    "holdout" BOOLEAN NOT NULL DEFAULT false,
    "exitedAt" DATETIME,
    "exitReason" TEXT
);
INSERT INTO "new_CampaignRecipient" ("anchorAt", "campaignId", "checkoutToken", "customerId", "email", "exitReason", "exitedAt", "firstName", "holdout", "id", "products", "reason", "score", "shop") SELECT "anchorAt", "campaignId", "checkoutToken", "customerId", "email", "exitReason", "exitedAt", "firstName", "holdout", "id", "products", "reason", "score", "shop" FROM "CampaignRecipient";
DROP TABLE "CampaignRecipient";
ALTER TABLE "new_CampaignRecipient" RENAME TO "CampaignRecipient";
CREATE INDEX "CampaignRecipient_shop_campaignId_idx" ON "CampaignRecipient"("shop", "campaignId");
CREATE INDEX "CampaignRecipient_shop_customerId_idx" ON "CampaignRecipient"("shop", "customerId");
CREATE UNIQUE INDEX "CampaignRecipient_campaignId_email_key" ON "CampaignRecipient"("campaignId", "email");
CREATE TABLE "new_Send" (
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
    "expectedValue" INTEGER NOT NULL DEFAULT 0,
    "plannedAt" DATETIME,
    "moves" INTEGER NOT NULL DEFAULT 0,
    "moveReason" TEXT,
    "why" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lockedAt" DATETIME,
    "claimedBy" TEXT,
    "sentAt" DATETIME,
    "providerMessageId" TEXT,
    "skipReason" TEXT,
    "lastError" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_Send" ("attempts", "campaignId", "claimedBy", "createdAt", "customerId", "email", "id", "idempotencyKey", "lastError", "lockedAt", "providerMessageId", "recipientId", "scheduledAt", "sentAt", "shop", "skipReason", "status", "step", "variant", "windowEndsAt") SELECT "attempts", "campaignId", "claimedBy", "createdAt", "customerId", "email", "id", "idempotencyKey", "lastError", "lockedAt", "providerMessageId", "recipientId", "scheduledAt", "sentAt", "shop", "skipReason", "status", "step", "variant", "windowEndsAt" FROM "Send";
DROP TABLE "Send";
ALTER TABLE "new_Send" RENAME TO "Send";
CREATE UNIQUE INDEX "Send_idempotencyKey_key" ON "Send"("idempotencyKey");
CREATE INDEX "Send_shop_status_scheduledAt_idx" ON "Send"("shop", "status", "scheduledAt");
CREATE INDEX "Send_status_scheduledAt_idx" ON "Send"("status", "scheduledAt");
CREATE INDEX "Send_shop_email_sentAt_idx" ON "Send"("shop", "email", "sentAt");
CREATE INDEX "Send_shop_campaignId_idx" ON "Send"("shop", "campaignId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Order_shop_phone_idx" ON "Order"("shop", "phone");

