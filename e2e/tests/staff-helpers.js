// Shared by the staff journeys: console errors that are not ours, one-time codes, and a
// fake camera that sees a QR code on another page.
import { createHmac } from 'node:crypto';

// Opening the staff app asks the server who is logged in; before login the answer is the
// 401 every staff path gives without a session.
export const NO_SESSION_YET = /status of 401 \(Unauthorized\)/;

export function staffErrors(page, provoked = /$^/) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !NO_SESSION_YET.test(m.text()) && !provoked.test(m.text())) errors.push(m.text());
  });
  return errors;
}

/** RFC 6238: the 6-digit code of a base32 `secret` for the 30-second step holding `ms`. */
export function totp(secret, ms) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...secret.replace(/=+$/, '')].map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0')).join('');
  const key = Buffer.from(bits.match(/.{8}/g).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(ms / 30_000)));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[19] & 15;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** A Y4M video (what Chromium's fake camera plays) of `gray`, a w×h luma plane. */
export function y4m(gray, w, h) {
  const header = Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\n`);
  const chroma = Buffer.alloc((w / 2) * (h / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), Buffer.from(gray), chroma]);
  return Buffer.concat([header, ...Array(10).fill(frame)]);
}

/** The QR code on the resident's page, drawn into a 640×480 grey frame. */
export async function qrFrame(page) {
  return page.evaluate(async () => {
    const svg = document.querySelector('.qr svg').outerHTML;
    const img = new Image();
    img.src = `data:image/svg+xml;base64,${btoa(svg)}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = 640; canvas.height = 480;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, 640, 480);
    ctx.drawImage(img, 140, 60, 360, 360);
    const rgba = ctx.getImageData(0, 0, 640, 480).data;
    const gray = new Array(640 * 480);
    for (let i = 0; i < gray.length; i += 1) gray[i] = rgba[i * 4];
    return gray;
  });
}
