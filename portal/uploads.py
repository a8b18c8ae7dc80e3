"""Uploaded files, for every app that takes them (self-assessment evidence,
meeting documents): which types the portal accepts, how an upload is
checked, where it is stored, and an image made small enough for a PDF.

A file is accepted by its extension *and* its first bytes (a renamed program
is refused), within the size limit, and when neither its name nor its text
holds a personal identity number (`portal.personal_numbers`). The user's file name is kept in the
database for display only; the stored file gets a random name. Uploads are
never served from a public media URL: each app downloads them through a
permission-checked view.
"""

from __future__ import annotations

import base64
import io
import os
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from portal import personal_numbers

# Extension → (content type, how the file must begin). Office Open XML and
# OpenDocument files are zip archives.
_ZIP = (b"PK\x03\x04",)
UPLOAD_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
}
IMAGE_TYPES = frozenset({"image/png", "image/jpeg"})
PDF_TYPE = "application/pdf"

# An image larger than this (width × height) is not decoded for a PDF: a
# small file can unpack to gigabytes (a "decompression bomb").
MAX_IMAGE_PIXELS = 40_000_000
# The longest side of an image scaled down for a PDF: sharp at A4 width.
PDF_IMAGE_SIDE = 1600


def max_upload_bytes() -> int:
    """The largest file accepted. One limit for every upload (the setting is
    named for its first use, the self-assessments' evidence; the request size
    limit is derived from it)."""
    return int(getattr(settings, "IMPLEMENTATION_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))


def accept_attribute() -> str:
    """The file input's `accept`: the extensions `validate_upload` allows."""
    return ",".join(f".{ext}" for ext in UPLOAD_TYPES)


def _file_error(message: str, field: str) -> ValidationError:
    return ValidationError({field: message})


def validate_upload(upload: UploadedFile, *, field: str = "file") -> tuple[str, str]:
    """(safe file name, content type) of an allowed upload, or a ValidationError
    on `field`: the type by extension and first bytes, the size, and no
    personal identity number in the file's name or text."""
    name = os.path.basename((upload.name or "").replace("\\", "/")).strip()[-200:]
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in UPLOAD_TYPES:
        raise _file_error(
            _("Attach a PDF, Word, Excel, PowerPoint, OpenDocument text, PNG or JPEG file."),
            field,
        )
    size = upload.size or 0
    if size <= 0:
        raise _file_error(_("The file is empty."), field)
    limit = max_upload_bytes()
    if size > limit:
        raise _file_error(
            _("The file is too large: at most %(mb)s MB.")
            % {"mb": round(limit / (1024 * 1024), 1)},
            field,
        )
    content_type, signatures = UPLOAD_TYPES[extension]
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in signatures):
        raise _file_error(
            _("The file's content does not match its type (.%(ext)s).") % {"ext": extension},
            field,
        )
    # No personal identity numbers, in the file's name or its text (the
    # portal holds no data about children): `portal.personal_numbers`.
    data = upload.read(limit + 1)
    upload.seek(0)
    personal_numbers.refuse_in_file(data, name=name, extension=extension, field=field)
    return name, content_type


def random_file_path(folder: str, filename: str) -> str:
    """A random file name under `folder`, keeping only the (checked) extension."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    if extension not in UPLOAD_TYPES:
        extension = "bin"
    return f"{folder}/{uuid.uuid4().hex}.{extension}"


def _data_uri(data: bytes, content_type: str) -> str:
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def image_data_uri(data: bytes, content_type: str, *, max_bytes: int) -> str | None:
    """The image as a `data:` URL of at most `max_bytes` characters, for a PDF
    (whose URL fetcher reaches no uploaded file). A file that fits is used as
    it is; a larger one is scaled down and compressed until it fits. None for
    what cannot be read as an image or is too large to decode safely."""
    if content_type in IMAGE_TYPES and len(_data_uri(data, content_type)) <= max_bytes:
        return _data_uri(data, content_type) if _readable_image(data) else None
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as opened:
            if opened.width * opened.height > MAX_IMAGE_PIXELS:
                return None
            image = ImageOps.exif_transpose(opened)
            image.load()
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    transparent = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if transparent else "RGB")
    side = PDF_IMAGE_SIDE
    quality = 85
    while side >= 100:
        scaled = image.copy()
        scaled.thumbnail((side, side))
        out = io.BytesIO()
        if transparent:
            scaled.save(out, format="PNG", optimize=True)
            kind = "image/png"
        else:
            scaled.save(out, format="JPEG", quality=quality, optimize=True)
            kind = "image/jpeg"
        uri = _data_uri(out.getvalue(), kind)
        if len(uri) <= max_bytes:
            return uri
        side = int(side * 0.75)
        quality = max(60, quality - 10)
    return None


def _readable_image(data: bytes) -> bool:
    """Whether Pillow reads the image's header and finds a size it may decode."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            return image.width * image.height <= MAX_IMAGE_PIXELS
    except (OSError, ValueError, Image.DecompressionBombError):
        return False
