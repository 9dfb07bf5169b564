"""A consented photo of a help request or village project (see photos.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import utcnow
from ..extensions import db
from .models import HelpRequest


class RequestPhoto(db.Model):
    """Re-encoded by the site (no EXIF, no GPS); files <name>.jpg and <name>_t.jpg under
    UPLOAD_DIR/giving-photos. Public only while its request is public and no verifier
    has hidden it."""

    __tablename__ = "giving_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("help_requests.id"), index=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    width: Mapped[int] = mapped_column(default=0)
    height: Mapped[int] = mapped_column(default=0)
    # The secretary confirmed that the people shown agreed to its publication.
    consented_at: Mapped[datetime] = mapped_column(default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                  ondelete="SET NULL"))
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id",
                                                                ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    request: Mapped[HelpRequest] = relationship()
