"""Appeals: a party appeals a verifier's rejection or a dispute decision once, to a
verifier of the level above (county < province < country); that outcome is final."""
