// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IPortRegistry} from "../access/IPortRegistry.sol";
import {ITradeDocuments} from "./ITradeDocuments.sol";

/// @title TradeDocuments
/// @notice Anchoring of commercial invoices, packing lists, certificates of origin, insurance and inspection
/// certificates by the organisations that issue them. Only the hash goes on-chain; the document stays off-chain.
/// @dev Issuing roles: invoice and packing list SHIPPER; certificate of origin and inspection certificate
/// INSPECTOR; insurance certificate INSURER. One slot per document.
contract TradeDocuments is ITradeDocuments {
    /// @notice The participant registry that says who holds which role.
    IPortRegistry public immutable registry;

    mapping(bytes32 anchorId => Anchor) private _anchors;

    /// @param registry_ The PortRegistry deployment.
    constructor(IPortRegistry registry_) {
        registry = registry_;
    }

    /// @notice Anchor a document's hash as issued by the caller's organisation, in that organisation's own name
    /// space (the anchor id is `anchorId(documentHash, issuer)`).
    /// @param documentHash Canonical hash of the document.
    /// @param docType What the document is; the caller's organisation must hold its issuing role.
    /// @param subject What it belongs to (a bill id, a credit's terms hash ...), indexed in the event; may be zero.
    /// @return id The anchor id presentations name.
    function anchor(bytes32 documentHash, DocType docType, bytes32 subject) external returns (bytes32 id) {
        if (documentHash == bytes32(0)) revert ZeroDocumentHash();
        (uint32 issuer, uint16 roles,) = registry.requireActor(msg.sender);
        IPortRegistry.Role required = requiredRole(docType);
        if (roles & (uint16(1) << uint8(required)) == 0) revert WrongIssuerRole(docType, issuer, required);
        id = anchorId(documentHash, issuer);
        if (_anchors[id].anchoredAt != 0) revert DocumentAlreadyAnchored(documentHash, issuer);
        _anchors[id] = Anchor(docType, issuer, uint40(block.timestamp));
        emit DocumentAnchored(documentHash, subject, docType, issuer);
    }

    /// @inheritdoc ITradeDocuments
    function anchorOf(bytes32 id) external view returns (Anchor memory found) {
        found = _anchors[id];
        if (found.anchoredAt == 0) revert DocumentNotAnchored(id);
    }

    /// @inheritdoc ITradeDocuments
    function tryAnchorOf(bytes32 id) external view returns (Anchor memory) {
        return _anchors[id];
    }

    /// @inheritdoc ITradeDocuments
    function anchorId(bytes32 documentHash, uint32 issuer) public pure returns (bytes32) {
        return keccak256(abi.encode(documentHash, issuer));
    }

    /// @notice The registry role that issues documents of `docType`.
    function requiredRole(DocType docType) public pure returns (IPortRegistry.Role) {
        if (docType == DocType.INSURANCE_CERTIFICATE) return IPortRegistry.Role.INSURER;
        if (docType == DocType.CERTIFICATE_OF_ORIGIN || docType == DocType.INSPECTION_CERTIFICATE) {
            return IPortRegistry.Role.INSPECTOR;
        }
        return IPortRegistry.Role.SHIPPER;
    }
}
