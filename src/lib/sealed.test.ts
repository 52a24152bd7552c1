import { describe, expect, it } from "vitest";
import { encryptJson } from "./crypto";
import { fingerprintKid, parseKeyRing } from "./keyring";
import { isSealedWithCurrent, seal, sealedKid, sealingRing, UndecryptableError, unseal } from "./sealed";

const key = (seed: number) => btoa(String.fromCharCode(...Array.from({ length: 32 }, (_, i) => (seed * 31 + i) % 256)));
const A = key(1);
const B = key(2);

describe("sealed secrets", () => {
  it("seals under the current key with its id and opens with any key of the ring", async () => {
    const sealed = await seal({ CONFIG_ENCRYPTION_KEYS: `new:${B}`, CONFIG_ENCRYPTION_KEY: A }, { apiKey: "x" });
    expect(sealedKid(sealed)).toBe("new");
    expect(await unseal({ CONFIG_ENCRYPTION_KEY: `other:${A},new:${B}` }, sealed)).toEqual({ apiKey: "x" });
    const underA = await seal(A, "s");
    expect(sealedKid(underA)).toBe(fingerprintKid(A));
    expect(await unseal({ CONFIG_ENCRYPTION_KEYS: `new:${B}`, CONFIG_ENCRYPTION_KEY: A }, underA)).toBe("s");
    expect(isSealedWithCurrent({ CONFIG_ENCRYPTION_KEYS: `new:${B}`, CONFIG_ENCRYPTION_KEY: A }, underA)).toBe(false);
  });

  it("opens values sealed before key ids existed (v1) by trying each key", async () => {
    const legacy = await encryptJson(A, { secret: 1 });
    expect(sealedKid(legacy)).toBeNull();
    expect(await unseal({ CONFIG_ENCRYPTION_KEYS: `b:${B},a:${A}` }, legacy)).toEqual({ secret: 1 });
  });

  it("throws UndecryptableError naming the missing key id when no key opens a value", async () => {
    const sealed = await seal({ CONFIG_ENCRYPTION_KEYS: `gone:${A}` }, "s");
    await expect(unseal(B, sealed)).rejects.toThrow(UndecryptableError);
    await expect(unseal(B, sealed)).rejects.toThrow(/"gone"/);
    await expect(unseal(B, await encryptJson(A, "s"))).rejects.toThrow(/no configured key/);
    await expect(unseal(B, "garbage")).rejects.toThrow(UndecryptableError);
  });

  it("refuses malformed rings naming the variable and the key", () => {
    expect(() => parseKeyRing("k1:!!!", "CONFIG_ENCRYPTION_KEYS", { exact: 32 })).toThrow(/CONFIG_ENCRYPTION_KEYS: key "k1" is not base64/);
    expect(() => parseKeyRing(`k1:${btoa("short")}`, "CONFIG_ENCRYPTION_KEYS", { exact: 32 })).toThrow(/must be 32 bytes/);
    expect(() => parseKeyRing(`bad.id:${A}`, "X", { exact: 32 })).toThrow(/key id/);
    expect(() => sealingRing({})).toThrow(/not set/);
    expect(parseKeyRing(` a:${A} , b:${B} `, "X", { exact: 32 })!.keys.map((k) => k.kid)).toEqual(["a", "b"]);
  });
});
