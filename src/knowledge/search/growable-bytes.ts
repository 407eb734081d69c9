/**
 * Buffers that grow in place (a byte buffer written at its end, typed arrays): an `ArrayBuffer` made resizable, its
 * address space reserved up front, so growing commits more pages rather than allocating a buffer
 * twice the size and copying into it. Fresh memory costs its first touch (a page fault, about
 * 4 ms per MB on a small virtual machine): the offer store of a 50,000-offer feed (24 MB), grown by
 * doubling and sliced to size at the end, touched three times its size and took ~450 ms doing it.
 */

/** `ArrayBuffer` with ES2024's resizing, which the project's `lib` (ES2023) does not declare. */
interface ResizableArrayBuffer extends ArrayBuffer {
  readonly maxByteLength: number;
  resize(byteLength: number): void;
}
const Resizable = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ResizableArrayBuffer;

/** Address space reserved for one buffer: virtual, so only what is written is memory. */
const RESERVE = 2 ** 31 - 1;

export class GrowableBytes {
  private buffer: ArrayBuffer;
  /** Bytes written so far. */
  length = 0;

  constructor(initial = 1 << 20) {
    this.buffer = resizable(initial) ?? new ArrayBuffer(initial);
  }

  /** Room for `bytes` more after `length`; the returned view is valid until the next call. */
  room(bytes: number): Uint8Array {
    const needed = this.length + bytes;
    if (needed > this.buffer.byteLength) this.grow(Math.max(this.buffer.byteLength * 2, needed));
    return new Uint8Array(this.buffer, this.length);
  }

  /** The bytes written, in a buffer of their size (this one shrunk, when it could be resized). */
  finish(): Uint8Array {
    const buffer = this.buffer;
    if (isResizable(buffer)) {
      buffer.resize(this.length);
      return new Uint8Array(buffer, 0, this.length);
    }
    return new Uint8Array(buffer, 0, this.length).slice();
  }

  private grow(size: number): void {
    const buffer = this.buffer;
    if (isResizable(buffer) && size <= buffer.maxByteLength) {
      buffer.resize(size);
      return;
    }
    const grown = new Uint8Array(size);
    grown.set(new Uint8Array(buffer, 0, this.length));
    this.buffer = grown.buffer;
  }
}

type TypedArray = Int32Array | Uint16Array;
/** A typed array's constructor, over part of a buffer. */
interface TypedArrayType<T extends TypedArray> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** A typed array of `length` elements over a buffer that `grownArray` can grow in place. */
export function growableArray<T extends TypedArray>(Type: TypedArrayType<T>, length: number): T {
  const bytes = length * Type.BYTES_PER_ELEMENT;
  return new Type(resizable(bytes) ?? new ArrayBuffer(bytes), 0, length);
}

/** `array` (from `growableArray`) with room for `length` elements: its own memory grown when it can be. */
export function grownArray<T extends TypedArray>(Type: TypedArrayType<T>, array: T, length: number): T {
  const buffer = array.buffer as ArrayBuffer;
  const bytes = length * Type.BYTES_PER_ELEMENT;
  if (isResizable(buffer) && bytes <= buffer.maxByteLength) {
    buffer.resize(bytes);
    return new Type(buffer, 0, length);
  }
  const copy = new Type(new ArrayBuffer(bytes), 0, length);
  copy.set(array);
  return copy;
}

/** A resizable buffer, or undefined where the address space cannot be reserved (a `ulimit -v`). */
function resizable(initial: number): ResizableArrayBuffer | undefined {
  try {
    return new Resizable(initial, { maxByteLength: RESERVE });
  } catch {
    return undefined;
  }
}

function isResizable(buffer: ArrayBuffer): buffer is ResizableArrayBuffer {
  return (buffer as Partial<ResizableArrayBuffer>).maxByteLength !== undefined && (buffer as { resizable?: boolean }).resizable === true;
}
