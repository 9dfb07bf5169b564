"""The kinds of notice of decisions, gifts, the shop, complaints, appeals and overdue
reports (matching's and monitoring's own kinds are registered in their areas)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .kinds import COMPLAINTS, DECISIONS, GIVING, PAIRINGS, SHOP, only_for, register, words

# Decisions on what a person submitted: the reason and what to do next.
register("enterprise.verified", _l("Your enterprise was verified"),
         _l("Your enterprise %(name)s was verified: it is now public."), DECISIONS)
register("enterprise.rejected", _l("Your enterprise was rejected"),
         _l("Your enterprise %(name)s was rejected. Reason: %(reason)s\nCorrect it and it "
            "is checked again, or appeal the decision once."), DECISIONS)
register("village.verified", _l("Your village was verified"),
         _l("Your village %(name)s was verified: it is now public."), DECISIONS)
register("village.rejected", _l("Your village was rejected"),
         _l("Your village %(name)s was rejected. Reason: %(reason)s\nCorrect it and it is "
            "checked again, or appeal the decision once."), DECISIONS)
register("request.verified", _l("Your help request was approved"),
         _l("Help request %(id)s (%(title)s) was approved: after the public notice period "
            "it takes gifts."), DECISIONS)
register("request.rejected", _l("Your help request was rejected"),
         _l("Help request %(id)s (%(title)s) was rejected. Reason: %(reason)s\nRewrite it and "
            "submit it again, or appeal the decision once."), DECISIONS)
register("decision.undone", _l("A decision on what you submitted was undone"),
         _l("The verifier undid the decision on %(what)s %(name)s (%(answer)s) moments after "
            "making it: it waits in the queue again and you will hear the new decision."),
         DECISIONS)
register("disbursement.decided", _l("A payout to a household was decided"),
         _l("The payout of %(amount)s from help request %(id)s was %(answer)s. %(reason)s"),
         DECISIONS)
register("payout.decided", _l("A payout of shop sales was decided"),
         _l("The payout of %(amount)s of shop sales to %(cooperative)s was %(answer)s. "
            "%(reason)s"), DECISIONS)

# Gifts and requests.
register("gift.refunded", _l("Your gift was refunded"),
         _l("Your gift of %(amount)s to help request %(id)s was refunded to you."), GIVING)
register("gift.moved", _l("Your gift was moved"),
         _l("Your gift of %(amount)s to help request %(id)s was moved, as you chose, to help "
            "request %(target)s."), GIVING)
register("request.funded", _l("A help request reached its goal"),
         _l("Help request %(id)s (%(title)s) reached its goal of %(amount)s."), GIVING)
register("request.expired", _l("A help request expired"),
         _l("Help request %(id)s (%(title)s) expired before reaching its goal; its gifts are "
            "refunded or moved as each donor chose."), GIVING)

# The shop.
register("order.paid", _l("An order was paid"),
         _l("Order %(id)s (%(amount)s) was paid."), SHOP)
register("order.shipped", _l("An order was shipped"),
         _l("Order %(id)s was shipped: %(carrier)s %(tracking)s."), SHOP)
register("order.delivered", _l("An order was delivered"),
         _l("Order %(id)s was confirmed as delivered."), SHOP)
register("order.refunded", _l("An order was refunded"),
         _l("Order %(id)s (%(amount)s) was refunded."), SHOP)

# Complaints, disputes, appeals.
register("complaint.filed", _l("A reported problem was received"),
         _l("A problem was reported about %(what)s %(name)s; a verifier will decide on it."),
         COMPLAINTS)
register("complaint.decided", _l("A reported problem was decided"),
         _l("The problem reported about %(what)s %(name)s was %(answer)s. Decision: %(reason)s"),
         COMPLAINTS)
register("appeal.filed", _l("An appeal waits for your decision"),
         _l("The decision on %(what)s %(name)s was appealed to you. Reason: %(reason)s"),
         COMPLAINTS)
register("appeal.decided", _l("An appeal was decided"),
         _l("The appeal on %(what)s %(name)s was decided: %(answer)s. Reason: %(reason)s\n"
            "This outcome is final."), COMPLAINTS)

register("report.overdue", _l("A progress report is overdue"),
         _l("Pairing %(id)s has had no progress report for %(days)s days: please report "
            "what was delivered."), PAIRINGS)

words(approved=_l("approved"), rejected_payout=_l("rejected"), upheld_complaint=_l("upheld"),
      dismissed=_l("dismissed"), granted=_l("granted: the decision is reversed"),
      refused=_l("refused: the decision stands"))
# What a complaint or an appeal is about (the %(what)s of the messages above).
words(**{"subject.help_request": _l("help request"), "subject.village": _l("village"),
         "subject.enterprise": _l("enterprise"), "subject.offer": _l("offer"),
         "subject.need": _l("need"), "undo.approved": _l("approved"),
         "undo.rejected": _l("rejected"), "subject.dispute": _l("the dispute on pairing")})

only_for(("enterprise",), "enterprise.verified", "enterprise.rejected")
only_for(("secretary",), "village.verified", "village.rejected", "request.verified",
         "request.rejected", "disbursement.decided", "payout.decided")
only_for(("enterprise", "secretary"), "appeal.decided", "report.overdue", "decision.undone")
only_for(("verifier",), "appeal.filed")
