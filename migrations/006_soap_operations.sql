-- 006_soap_operations: operations that enter the pipeline through the SOAP front door.
-- A legacy XDS.b producer sends no JWTs: the region signs the Gateway's tokens itself at every send (certificate
-- case 2), so a replay after a long outage still carries fresh tokens. And the regional registry records what the
-- producer submitted in ebRIM (its SubmissionSet, associations, every slot), not metadata rebuilt from the REST
-- body: the registry change to apply once the Gateway accepts is kept with the operation.
-- See: xds-ini digest 8.3; Gateway API digest 1.4 (certificate cases, local indexing).
ALTER TABLE gateway_operation
  ADD COLUMN signing text NOT NULL DEFAULT 'producer' CHECK (signing IN ('producer', 'region')),
  ADD COLUMN registry_action jsonb;
