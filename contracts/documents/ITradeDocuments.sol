// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPortRegistry} from "../access/IPortRegistry.sol";

/// @title ITradeDocuments
/// @notice Anchors of the trade documents beside the bill of lading: who issued which document hash, and when.
/// @dev An anchor is identified by `anchorId(documentHash, issuer)`: each organisation anchors in its own name
/// space, so nobody can anchor a hash first to block its real issuer or to give it another type.
interface ITradeDocuments {
    /// @notice Document types, each anchored only by an organisation holding the issuing role.
    enum DocType {
        COMMERCIAL_INVOICE, // SHIPPER
        PACKING_LIST, // SHIPPER
        CERTIFICATE_OF_ORIGIN, // INSPECTOR
        INSURANCE_CERTIFICATE, // INSURER
        INSPECTION_CERTIFICATE // INSPECTOR
    }

    /// @notice One anchored document (one storage slot).
    struct Anchor {
        DocType docType;
        uint32 issuer;
        uint40 anchoredAt;
    }

    /// @notice The document hash was zero.
    error ZeroDocumentHash();
    /// @notice The issuer anchored this document hash already.
    error DocumentAlreadyAnchored(bytes32 documentHash, uint32 issuer);
    /// @notice The anchoring organisation does not hold the role that issues this document type.
    error WrongIssuerRole(DocType docType, uint32 issuer, IPortRegistry.Role requiredRole);
    /// @notice No document is anchored under this anchor id.
    error DocumentNotAnchored(bytes32 anchorId);

    /// @notice A document was anchored; its anchor id is `anchorId(documentHash, issuer)`.
    /// @param subject What the document belongs to (e.g. the bill of lading's id), for lookups by topic.
    event DocumentAnchored(bytes32 indexed documentHash, bytes32 indexed subject, DocType docType, uint32 issuer);

    /// @notice The anchor `anchorId` (reverts `DocumentNotAnchored`).
    function anchorOf(bytes32 anchorId) external view returns (Anchor memory);

    /// @notice The anchor `anchorId`, zero if none (no revert; for batch checks).
    function tryAnchorOf(bytes32 anchorId) external view returns (Anchor memory);

    /// @notice The id of the anchor of `documentHash` by organisation `issuer`: keccak256(abi.encode(hash, issuer)).
    function anchorId(bytes32 documentHash, uint32 issuer) external pure returns (bytes32);
}
