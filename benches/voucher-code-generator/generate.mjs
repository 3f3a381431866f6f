// Times voucher-code-generator making COUNT distinct codes in memory, with the same alphabet and
// length as Seller Desk's bench, and prints one JSON line with the figures.
import { performance } from "node:perf_hooks";
import voucherCodes from "voucher-code-generator";

const count = Number(process.env.COUNT ?? 1_000_000);
const length = Number(process.env.LENGTH ?? 10);
const charset = process.env.CHARSET ?? "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

const started = performance.now();
const codes = voucherCodes.generate({ count, length, charset });
const seconds = (performance.now() - started) / 1000;
if (codes.length !== count || new Set(codes).size !== count) {
  console.error(`expected ${count} distinct codes, got ${codes.length}`);
  process.exit(1);
}
console.log(JSON.stringify({ generator: "voucher-code-generator@1.3.0", count, length, seconds }));
