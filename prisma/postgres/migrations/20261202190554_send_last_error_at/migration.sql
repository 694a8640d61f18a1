-- AlterTable
ALTER TABLE "Send" ADD COLUMN     "lastErrorAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Send_shop_lastErrorAt_idx" ON "Send"("shop", "lastErrorAt");

