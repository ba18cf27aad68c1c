/**
 * Validation of one image file's bytes before it goes into a drive: decodes it fully (a
 * truncated PNG/JPEG has an intact header, so reading the header is not enough).
 */
import sharp from 'sharp';

export interface CheckedImage {
  format: 'jpeg' | 'png';
  width: number;
  height: number;
  channels: number;
}

export async function checkImage(data: Uint8Array, file: string): Promise<CheckedImage> {
  if (data.byteLength === 0) throw new Error(`${file}: empty file (0 bytes)`);
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>["metadata"]>>;
  try {
    meta = await sharp(data).metadata();
  } catch (err) {
    throw new Error(`${file}: not a readable image: ${firstLine(err)}`);
  }
  if (meta.format !== 'png' && meta.format !== 'jpeg') {
    throw new Error(`${file}: unsupported image format '${meta.format}' (PNG or JPEG expected)`);
  }
  try {
    await sharp(data).raw().toBuffer();
  } catch (err) {
    throw new Error(`${file}: corrupt or truncated ${meta.format.toUpperCase()}: ${firstLine(err)}`);
  }
  return { format: meta.format, width: meta.width!, height: meta.height!, channels: meta.channels ?? 0 };
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0];
}

/** PNG / JPEG files by extension. */
export const IMAGE_FILE = /\.(png|jpe?g)$/i;

/** Sort file names the way people number frames: frame2 before frame10. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
