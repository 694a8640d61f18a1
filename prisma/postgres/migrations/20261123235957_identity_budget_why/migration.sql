-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "phone" TEXT;

-- AlterTable
ALTER TABLE "CampaignRecipient" ADD COLUMN     "evidence" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "expectedValue" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Send" ADD COLUMN     "expectedValue" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "moveReason" TEXT,
ADD COLUMN     "moves" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "plannedAt" TIMESTAMP(3),
ADD COLUMN     "why" TEXT;

-- CreateIndex
CREATE INDEX "Order_shop_phone_idx" ON "Order"("shop", "phone");

