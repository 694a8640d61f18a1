-- AlterTable
ALTER TABLE "Send" ADD COLUMN "claimedBy" TEXT;

