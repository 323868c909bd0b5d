"""Files the pages hand out to download (CSV for Excel, for a city hall, for a tax return)."""

from __future__ import annotations

from flask import Response


def csv_download(data: bytes, filename: str) -> Response:
    """UTF-8 CSV bytes as an attachment named ``filename``, with one charset in its type."""
    response = Response(data, mimetype="text/csv")  # Werkzeug adds "; charset=utf-8" once
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
