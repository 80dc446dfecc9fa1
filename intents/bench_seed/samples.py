"""The seed's sample values: countries, a letter's text, and a PDF padded to a given size."""

import io

from pypdf import PdfWriter

COUNTRIES = [
    "CN",
    "FR",
    "DE",
    "IT",
    "ES",
    "GB",
    "NL",
    "BE",
    "CH",
    "AT",
    "SE",
    "NO",
    "FI",
    "DK",
    "PL",
    "PT",
    "BR",
    "AR",
    "CL",
    "MX",
    "CA",
    "US",
    "JP",
    "KR",
    "IN",
    "PK",
    "TH",
    "MY",
    "ID",
    "VN",
    "NG",
    "ZA",
    "EG",
    "KE",
    "MA",
    "TR",
    "SA",
    "AE",
    "AU",
    "NZ",
    "RU",
    "UA",
    "KZ",
]
TEXT = (
    "A compact instrument for the lunar south pole that measures the volatiles in the regolith "
    "and the dust lifted by the terminator's electric fields, with its own power and data link."
)


def pdf_bytes(size):
    """A one-page PDF of about `size` bytes (a comment pads it before the end marker)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    data = buffer.getvalue()
    body, _sep, _tail = data.rpartition(b"%%EOF")
    padding = max(0, size - len(data))
    line = b"% benchmark padding " + b"x" * 58 + b"\n"
    return body + (line * (padding // len(line) + 1))[:padding] + b"%%EOF\n"
