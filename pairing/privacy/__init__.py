"""A person's own data (PIPL arts. 44–47): the download of everything held about them and
the deletion of their account; a household's, through its secretary. Above every area
whose rows it reads and anonymises, hence an area of its own."""
