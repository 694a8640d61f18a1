-- AlterTable
ALTER TABLE "Send" ADD COLUMN "lastErrorAt" DATETIME;

-- CreateIndex
CREATE INDEX "Send_shop_lastErrorAt_idx" ON "Send"("shop", "lastErrorAt");

