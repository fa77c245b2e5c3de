/**
 * What the publication and metadata-update operations receive from a front door, whatever its wire format: the
 * Gateway request body under English names (the REST adapter, `src/rest/publication-bodies.ts`, does the renaming).
 * See: Gateway API digest, 4; xds-ini digest, 8.2.
 */

/** The metadata fields shared by every request. Absent fields are `undefined`. */
export interface PublicationMetadataFields {
  /** Facility type, as the request's enum value (mappings/xds-facility-types.json `value`). */
  readonly healthcareFacilityType?: string;
  /** Event codes as sent: known codes, in any case. */
  readonly eventCodes?: readonly string[];
  /** classCode (mappings/xds-class-codes.json). */
  readonly classCode?: string;
  /** practiceSettingCode, `AD_PSCnnn`. */
  readonly practiceSetting?: string;
  /** Service start/stop as sent (`yyyyMMddHHmmss` as the Gateway parses it). */
  readonly serviceStartTime?: string;
  readonly serviceStopTime?: string;
  /** Legal-preservation marker, passed through to slot `urn:ita:2017:repository-type`. */
  readonly repositoryType?: string;
  /** SubmissionSet contentTypeCode, as the request's enum value (mappings/xds-content-types.json `value`). */
  readonly contentType?: string;
  readonly submissionSetUniqueId?: string;
  /** `CODE^Description^OID` values of slot `urn:ita:2022:description`. */
  readonly descriptions?: readonly string[];
  /** Administrative request codes (mappings/xds-administrative-requests.json). */
  readonly administrativeRequests?: readonly string[];
}

/** A create, replace or validate-and-* request after the Gateway's body checks: its mandatory fields are present. */
export interface PublicationRequest extends PublicationMetadataFields {
  readonly workflowInstanceId?: string;
  readonly healthDataFormat?: 'CDA';
  readonly mode?: 'ATTACHMENT' | 'RESOURCE';
  /** The new document's uniqueId, valid per the Gateway's document-id rule. */
  readonly documentUniqueId: string;
  /** Checked against the organization table only when metadata is built (Gateway API digest, 3.3 step 14). */
  readonly repositoryUniqueId: string;
  readonly healthcareFacilityType: string;
  readonly classCode: string;
  readonly practiceSetting: string;
  readonly contentType: string;
  readonly submissionSetUniqueId: string;
}

/** A metadata-update request: the Gateway's code enforces only the classCode (Gateway API digest, 3.6, 12 item 14). */
export interface MetadataUpdateRequest extends PublicationMetadataFields {
  readonly classCode: string;
}
