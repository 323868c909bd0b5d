"""Files members deliver: at most 10 MB, documents and images only, checked by their content."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

import filetype
from flask import current_app
from flask_babel import gettext as _

from teamhub.errors import Invalid
from teamhub.i18n import join_list

MAX_BYTES = 10 * 1024 * 1024
# extension → the content type its bytes must show
BINARY_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
TEXT_TYPES = {"txt": "text/plain", "md": "text/markdown", "csv": "text/csv"}


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size_bytes: int


def _refuse(message: str) -> Invalid:
    return Invalid(message, {"file": message})


def content_type_of(name: str, data: bytes) -> str:
    """Return the file's content type when its name and bytes agree on an allowed type."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = join_list(sorted({*BINARY_TYPES, *TEXT_TYPES}))
    if extension in BINARY_TYPES:
        kind = filetype.guess(data)
        if kind is None or kind.mime != BINARY_TYPES[extension]:
            raise _refuse(
                _("The file's content does not match its name (.%(ext)s).", ext=extension)
            )
        return kind.mime
    if extension in TEXT_TYPES:
        if filetype.guess(data) is not None or b"\x00" in data:
            raise _refuse(
                _("The file's content does not match its name (.%(ext)s).", ext=extension)
            )
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _refuse(_("Save the text file as UTF-8 and upload it again.")) from error
        return TEXT_TYPES[extension]
    raise _refuse(_("This kind of file cannot be uploaded. Allowed: %(types)s.", types=allowed))


def received(upload) -> tuple[str, bytes | None]:
    """The name and bytes of the file a form received, read to one byte past the limit (so
    :func:`store` refuses it, whatever its size); ("", None) when no file was chosen."""
    if not upload:
        return "", None
    return upload.filename or "", upload.read(MAX_BYTES + 1) or None


def upload_folder() -> Path:
    folder = Path(current_app.instance_path) / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store(original_name: str, data: bytes) -> StoredFile:
    """Check and keep an uploaded file under instance/uploads with a name the server chooses."""
    if not data:
        raise _refuse(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise _refuse(_("The file is larger than 10 MB. Make it smaller or share a link instead."))
    original = Path(original_name.replace("\\", "/")).name[:200] or "file"
    content_type = content_type_of(original, data)
    extension = original.rsplit(".", 1)[-1].lower()
    stored_name = f"{secrets.token_hex(16)}.{extension}"
    (upload_folder() / stored_name).write_bytes(data)
    return StoredFile(stored_name, original, content_type, len(data))


def path_of(stored_name: str) -> Path:
    return upload_folder() / Path(stored_name).name
