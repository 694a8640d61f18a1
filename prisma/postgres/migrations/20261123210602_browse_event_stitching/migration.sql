-- DropIndex
DROP INDEX "BrowseEvent_shop_visitorId_idx";

-- AlterTable
ALTER TABLE "BrowseEvent" ADD COLUMN     "attributedVia" TEXT;

-- CreateIndex
CREATE INDEX "Order_shop_cartToken_idx" ON "Order"("shop", "cartToken");

-- CreateIndex
CREATE INDEX "BrowseEvent_shop_visitorId_occurredAt_idx" ON "BrowseEvent"("shop", "visitorId", "occurredAt");

-- CreateIndex
CREATE INDEX "BrowseEvent_shop_cartToken_idx" ON "BrowseEvent"("shop", "cartToken");

