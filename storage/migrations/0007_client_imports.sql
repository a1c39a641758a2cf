-- When a client was added by an import (a file or `import clients`), so reports show imports
-- apart from new clients (a new client is one first contacted in the period). NULL: added by a note.
ALTER TABLE clients ADD COLUMN imported_at TEXT;
