-- 002_repository: the XDS repository, document bytes keyed as ITI-43 retrieves them.
-- See: IHE ITI TF-3 4.2.3.2 (hash = SHA-1 hex, size in bytes), ITI-43 (repositoryUniqueId + documentUniqueId).
-- The checks make a row whose size or hash does not describe its bytes impossible to write.
CREATE TABLE repository_document (
  repository_unique_id text NOT NULL,
  unique_id            text NOT NULL,
  mime_type            text NOT NULL,
  size                 bigint NOT NULL,
  hash                 text NOT NULL CHECK (hash ~ '^[0-9a-f]{40}$'),
  content              bytea NOT NULL,
  stored_at            timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT repository_document_pkey PRIMARY KEY (repository_unique_id, unique_id),
  CONSTRAINT repository_document_size_check CHECK (size = octet_length(content))
);
