-- AlterTable
ALTER TABLE "Campaign" ADD COLUMN     "results" TEXT NOT NULL DEFAULT '{}';

