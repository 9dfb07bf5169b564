"""The national load-test loader (`flask demo load --scale national`) at a small scale: the
rows of places, enterprises and needs it writes in bulk carry the listing columns and the
search pieces that the ORM hooks would have given them, so the public lists find them."""

from __future__ import annotations

from sqlalchemy import func, select

from pairing.enterprises import browse
from pairing.enterprises.models import Enterprise, Offer, SearchGram
from pairing.extensions import db
from pairing.needs import browse as needs_browse
from pairing.needs import listing, national
from pairing.needs.models import Need
from pairing.places.models import Village


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_a_small_national_load_is_listed_and_searchable(app) -> None:  # noqa: ANN001
    said: list[str] = []
    with app.app_context():
        national.load_national(echo=said.append, villages=30, enterprises=20)
        assert (_count(Village), _count(Enterprise)) == (30, 20)
        assert _count(Offer) >= 20 and _count(Need) >= 30
        need = db.session.scalars(select(Need).order_by(Need.id)).first()
        village = db.session.get(Village, need.village_id)
        assert (need.county_code, need.province_code) == (village.county_code,
                                                          village.county_code[:2])
        assert need.public == (village.status == "verified")
        assert _count(SearchGram) > 0
        word = village.name[:2]
        found = needs_browse.villages(browse.Filters(q=word), per_page=100)
        assert village.id in {v.id for v in found.items} or village.status != "verified"
        public = db.session.scalar(select(func.count()).select_from(Need).where(Need.public))
        assert len(needs_browse.needs(browse.Filters(), per_page=100).items) == min(public, 100)
        # The same pieces as the hooks write (pairing/needs/listing.py): an offer's or a
        # need's own text and its owner's name.
        stored = set(db.session.execute(select(SearchGram.source, SearchGram.gram,
                                               SearchGram.ref_id)))
        expected = {(r["source"], r["gram"], r["ref_id"])
                    for model in (Village, Enterprise, Offer, Need)
                    for row in db.session.scalars(select(model))
                    for r in listing.gram_rows(model.__tablename__, row.id,
                                               listing.searched_texts(db.session, row))}
        assert stored == expected
        national.load_national(echo=said.append, villages=30, enterprises=20)
        assert _count(Village) == 30  # loaded once
    assert said[-1] == "national data already loaded: nothing changed"
