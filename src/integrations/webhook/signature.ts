/** Header of the webhook's HMAC signature (events and DSR notices alike). */
export const SIGNATURE_HEADER = "X-Edge-CDP-Signature";
