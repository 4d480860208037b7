// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {IPortRegistry} from "../access/IPortRegistry.sol";
import {IBillOfLading} from "../documents/IBillOfLading.sol";
import {ICustoms} from "./ICustoms.sol";
import {NominatedTreasuries} from "./NominatedTreasuries.sol";

/// @title VatRebates
/// @notice Export VAT rebates: the exporter claims against an export declaration customs cleared and the hash of
/// the VAT invoice; the designated TAX authority of the declaration's jurisdiction approves (paid from its
/// treasury) or rejects.
/// @dev Claim life: CLAIMED --approve--> PAID | --reject--> REJECTED (the exporter may claim again).
/// Only for goods exported: the bill must have been recorded shipped on board (which itself needs the export
/// cleared).
/// One live claim per shipment: the claim names the bill of lading, the claimant must be the bill's shipper and the
/// declaration the export declaration the shipper linked to that bill, so a forwarder's declaration for the same
/// goods cannot be paid a second time, and nobody but the shipper can take the bill's rebate first. The treasury
/// is nominated by the tax authority and pays only once it has accepted that role for its own country.
contract VatRebates is NominatedTreasuries, ReentrancyGuard {
    using SafeERC20 for IERC20;

    enum ClaimStatus {
        NONE,
        CLAIMED,
        PAID,
        REJECTED
    }

    struct Claim {
        ClaimStatus status;
        uint32 exporter;
        bytes2 country;
        uint40 claimedAt;
        uint96 amount;
        address payee;
        bytes32 declaration;
        bytes32 vatInvoiceHash;
        bytes32 bill;
    }

    /// @notice The export declaration is not cleared (released) by customs.
    error DeclarationNotCleared(bytes32 declaration, ICustoms.Status status);
    /// @notice Rebates are claimed against export declarations only.
    error NotAnExportDeclaration(bytes32 declaration);
    /// @notice Only the bill's shipper, as the declarant of the export declaration, claims its rebate.
    error NotExporter(bytes32 declaration, uint32 actor, uint32 declarant, uint32 shipper);
    /// @notice The bill was not recorded shipped on board: nothing was exported yet.
    error BillNotShipped(bytes32 bill);
    /// @notice The declaration is not the export declaration the bill's shipper linked to the bill.
    error DeclarationNotOfBill(bytes32 declaration, bytes32 bill);
    /// @notice A rebate was claimed for this shipment (bill) already.
    error RebateAlreadyClaimed(bytes32 bill, uint256 claimId);
    /// @notice This VAT invoice backs another live claim already.
    error InvoiceAlreadyClaimed(bytes32 vatInvoiceHash, uint256 claimId);
    /// @notice No claim has this id.
    error UnknownClaim(uint256 claimId);
    /// @notice The claim was decided already.
    error ClaimDecided(uint256 claimId, ClaimStatus status);
    /// @notice The amount or VAT invoice hash is zero, or the payee is the zero address.
    error InvalidClaim();
    /// @notice The tax authority has no accepted treasury.
    error NoTreasury(bytes2 country);
    /// @notice The country's treasury accepted to pay for another (former) tax authority, not this one.
    error TreasuryServesAnotherAuthority(bytes2 country, uint32 servedAuthority, uint32 authority);

    event RebateClaimed(
        uint256 indexed claimId, bytes32 indexed declaration, uint32 exporter, uint96 amount, bytes32 vatInvoiceHash
    );
    event RebatePaid(uint256 indexed claimId, uint32 taxAuthority, address payee, address token, uint96 amount);
    event RebateRejected(uint256 indexed claimId, uint32 taxAuthority, bytes32 reasonHash);

    IPortRegistry public immutable registry;
    ICustoms public immutable customs;
    IBillOfLading public immutable billOfLading;

    uint256 private _claimCount;
    mapping(uint256 claimId => Claim) private _claims;
    mapping(bytes32 bill => uint256 claimId) private _claimOfBill;
    mapping(bytes32 exporterInvoice => uint256 claimId) private _claimOfInvoice;
    mapping(bytes2 country => Treasury) private _treasuries;

    constructor(IPortRegistry registry_, ICustoms customs_, IBillOfLading billOfLading_) {
        registry = registry_;
        customs = customs_;
        billOfLading = billOfLading_;
    }

    /// @notice The exporter (the bill's shipper) claims the VAT rebate of the shipment under `bill`, against the
    /// cleared export declaration it linked to that bill.
    /// @param payee Where the rebate is paid.
    function claim(bytes32 declaration, bytes32 bill, bytes32 vatInvoiceHash, uint96 amount, address payee)
        external
        returns (uint256 claimId)
    {
        if (amount == 0 || vatInvoiceHash == bytes32(0) || payee == address(0)) revert InvalidClaim();
        ICustoms.DeclarationView memory decl = customs.declarationOf(declaration);
        (uint32 actor,,) = registry.requireActor(msg.sender);
        if (decl.kind != ICustoms.Kind.EXPORT) revert NotAnExportDeclaration(declaration);
        IBillOfLading.BillStatus memory shipment = billOfLading.statusOf(bill);
        uint32 shipper = shipment.shipper;
        if (actor != decl.declarant || actor != shipper) revert NotExporter(declaration, actor, decl.declarant, shipper);
        if (customs.declarationOfBill(bill, ICustoms.Kind.EXPORT, shipper) != declaration) {
            revert DeclarationNotOfBill(declaration, bill);
        }
        if (decl.status != ICustoms.Status.RELEASED) revert DeclarationNotCleared(declaration, decl.status);
        if (shipment.shippedOnBoardDate == 0) revert BillNotShipped(bill);
        uint256 existing = _claimOfBill[bill];
        if (existing != 0 && _claims[existing].status != ClaimStatus.REJECTED) {
            revert RebateAlreadyClaimed(bill, existing);
        }
        // Per exporter: nobody can take another exporter's invoice hash first.
        bytes32 invoiceKey = keccak256(abi.encode(actor, vatInvoiceHash));
        uint256 invoiceClaim = _claimOfInvoice[invoiceKey];
        if (invoiceClaim != 0 && _claims[invoiceClaim].status != ClaimStatus.REJECTED) {
            revert InvoiceAlreadyClaimed(vatInvoiceHash, invoiceClaim);
        }
        claimId = ++_claimCount;
        _claimOfBill[bill] = claimId;
        _claimOfInvoice[invoiceKey] = claimId;
        _claims[claimId] = Claim(
            ClaimStatus.CLAIMED,
            actor,
            decl.country,
            uint40(block.timestamp),
            amount,
            payee,
            declaration,
            vatInvoiceHash,
            bill
        );
        emit RebateClaimed(claimId, declaration, actor, amount, vatInvoiceHash);
    }

    /// @notice The tax authority of the claim's jurisdiction approves it: the rebate is paid from the treasury that
    /// accepted to pay this country's rebates (and approved this contract).
    function approve(uint256 claimId) external nonReentrant {
        Claim memory c = _undecided(claimId);
        uint32 tax = registry.requireAuthority(msg.sender, IPortRegistry.Role.TAX, c.country);
        Treasury memory treasury = _treasuries[c.country];
        if (treasury.account == address(0)) revert NoTreasury(c.country);
        // A treasury pays only for the authority it agreed to serve: a newly designated one needs its own.
        if (treasury.authority != tax) revert TreasuryServesAnotherAuthority(c.country, treasury.authority, tax);
        _claims[claimId].status = ClaimStatus.PAID;
        emit RebatePaid(claimId, tax, c.payee, treasury.token, c.amount);
        IERC20(treasury.token).safeTransferFrom(treasury.account, c.payee, c.amount);
    }

    /// @notice The tax authority rejects the claim (the exporter may claim again).
    function reject(uint256 claimId, bytes32 reasonHash) external {
        Claim memory c = _undecided(claimId);
        uint32 tax = registry.requireAuthority(msg.sender, IPortRegistry.Role.TAX, c.country);
        _claims[claimId].status = ClaimStatus.REJECTED;
        emit RebateRejected(claimId, tax, reasonHash);
    }

    /// @notice The tax authority nominates the treasury its country's rebates are paid from, and the token; the
    /// treasury pays nothing until it accepts (`acceptTreasury`), so no authority can spend another's funds.
    function nominateTreasury(address treasury, address token) external {
        (uint32 authority, bytes2 country) = registry.requireOwnAuthority(msg.sender, IPortRegistry.Role.TAX);
        _nominateTreasury(country, treasury, token, authority);
    }

    /// @notice A claim in one call.
    function claimOf(uint256 claimId) external view returns (Claim memory c) {
        c = _claims[claimId];
        if (c.status == ClaimStatus.NONE) revert UnknownClaim(claimId);
    }

    /// @notice The treasury and token of `country`'s tax authority.
    function treasuryOf(bytes2 country) external view returns (address treasury, address token) {
        Treasury memory t = _treasuries[country];
        return (t.account, t.token);
    }

    function _treasuryAccepted(bytes2 country, Treasury memory treasury) internal override {
        _treasuries[country] = treasury;
    }

    function _isAuthority(bytes2 country, uint32 orgId) internal view override returns (bool) {
        return registry.authorityOf(country, IPortRegistry.Role.TAX) == orgId
            && registry.statusOf(orgId) == IPortRegistry.Status.ACTIVE;
    }

    function _undecided(uint256 claimId) private view returns (Claim memory c) {
        c = _claims[claimId];
        if (c.status == ClaimStatus.NONE) revert UnknownClaim(claimId);
        if (c.status != ClaimStatus.CLAIMED) revert ClaimDecided(claimId, c.status);
    }
}
