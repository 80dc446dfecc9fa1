"""A PDF like a scanned letter: pages each holding one image of random bytes, to the size asked.

Random bytes stand for a scan's compressed image data (they do not compress further); the file
is built once per run and passes the portal's checks (intents.uploads.inspect_upload).
"""

import io
import random

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    NameObject,
    NumberObject,
)

PAGE_BYTES = 2**20  # one image of about 1 MiB per page


def scanned_pdf(size, seed=7):
    rng = random.Random(seed)
    writer = PdfWriter()
    pages = max(1, round(size / PAGE_BYTES))
    image_bytes = max(3 * 64, size // pages - 600)
    width = 1024
    height = max(1, image_bytes // (3 * width))
    for _ in range(pages):
        page = writer.add_blank_page(width=595, height=842)
        image = DecodedStreamObject()
        image.set_data(rng.randbytes(3 * width * height))
        image.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Image"),
                NameObject("/Width"): NumberObject(width),
                NameObject("/Height"): NumberObject(height),
                NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
                NameObject("/BitsPerComponent"): NumberObject(8),
            }
        )
        content = DecodedStreamObject()
        content.set_data(b"q 595 0 0 842 0 0 cm /Im0 Do Q")
        page[NameObject("/Resources")] = DictionaryObject(
            {
                NameObject("/XObject"): DictionaryObject(
                    {NameObject("/Im0"): writer._add_object(image)}
                ),
                NameObject("/ProcSet"): ArrayObject([NameObject("/PDF"), NameObject("/ImageC")]),
            }
        )
        page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
