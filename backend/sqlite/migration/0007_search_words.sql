-- Word index of the Users list: a search of one or two characters matches
-- the rows where a word starts with it (FindDirectory). A word is a run of
-- letters and digits of the search text (name words, the address's local
-- part split at its dots and dashes, its domain labels); the text is already
-- case-folded and accent-free (search.go), so the tokenizer only splits it.
-- Prefix indexes of one and two characters make such a term one lookup
-- instead of a walk over every term it begins; detail=none keeps only which
-- rows hold a word, all a prefix lookup needs.
CREATE VIRTUAL TABLE directory_words USING fts5 (
	search_text, content = 'directory', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 0', prefix = '1 2', detail = none, columnsize = 0
);
INSERT INTO directory_words (directory_words) VALUES ('rebuild');
CREATE TRIGGER directory_words_ai AFTER INSERT ON directory BEGIN
	INSERT INTO directory_words (rowid, search_text) VALUES (new.id, new.search_text);
END;
CREATE TRIGGER directory_words_ad AFTER DELETE ON directory BEGIN
	INSERT INTO directory_words (directory_words, rowid, search_text) VALUES ('delete', old.id, old.search_text);
END;
CREATE TRIGGER directory_words_au AFTER UPDATE OF search_text ON directory BEGIN
	INSERT INTO directory_words (directory_words, rowid, search_text) VALUES ('delete', old.id, old.search_text);
	INSERT INTO directory_words (rowid, search_text) VALUES (new.id, new.search_text);
END;
