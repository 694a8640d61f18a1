// cephes 3 ships index.d.ts but its package "exports" map has no "types" condition, so TypeScript's
// Bundler resolution finds no types for `import cephes from "cephes"`. Declares the part insights uses.
declare module "cephes" {
  const cephes: {
    compiled: Promise<void>;
    lgam(x: number): number;
    psi(x: number): number;
    hyp2f1(a: number, b: number, c: number, x: number): number;
    stdtri(k: number, p: number): number;
  };
  export default cephes;
}
