// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IPortRegistry} from "../access/IPortRegistry.sol";
import {IBillOfLading} from "../documents/IBillOfLading.sol";
import {ITradeDocuments} from "../documents/ITradeDocuments.sol";
import {LetterOfCreditBase} from "./LetterOfCreditBase.sol";

/// @title LetterOfCreditExtension
/// @notice The amendment paths (UCP 600 Art. 10), withdrawals of held payments and bills, and the views of
/// LetterOfCredit. It is only ever run by LetterOfCredit's fallback through delegatecall, on LetterOfCredit's
/// storage; called directly it refuses (`NotDelegated`), so its own empty storage is never used.
contract LetterOfCreditExtension is LetterOfCreditBase {
    using SafeERC20 for IERC20;

    /// @notice Called directly instead of through LetterOfCredit.
    error NotDelegated();

    address private immutable _self;

    constructor(IPortRegistry registry_, IBillOfLading billOfLading_, ITradeDocuments tradeDocuments_)
        LetterOfCreditBase(registry_, billOfLading_, tradeDocuments_)
    {
        _self = address(this);
    }

    modifier onlyDelegated() {
        if (address(this) == _self) revert NotDelegated();
        _;
    }

    /*//////////////////////////////////////////////////////////////
                               AMENDMENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice The issuing bank issues an amendment; it is bound by it at once. An increase of the amount is not
    /// taken from anyone here: the payer escrows it with `fundAmendment`, and until then it cannot be accepted.
    function amend(uint256 id, AmendmentTerms calldata amendment) external onlyDelegated {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.issuingBank, Party.ISSUING_BANK);
        _requireIssued(id, credit);
        if (_pending[id].changes != 0) revert AmendmentPending(id, _details[id].amendments);
        uint8 changes = amendment.changes;
        if (changes == 0 || changes > 15) revert InvalidTerms(Term.CHANGES);
        Amounts memory amounts = _amounts[id];
        uint40 expiry = changes & _CHANGE_EXPIRY != 0 ? amendment.expiry : credit.expiry;
        uint40 latest = changes & _CHANGE_LATEST_SHIPMENT != 0 ? amendment.latestShipment : amounts.latestShipment;
        if (expiry <= block.timestamp) revert InvalidTerms(Term.EXPIRY);
        if (latest > expiry) revert InvalidTerms(Term.LATEST_SHIPMENT);
        if (changes & _CHANGE_TERMS_HASH != 0 && amendment.termsHash == bytes32(0)) revert InvalidTerms(Term.TERMS_HASH);

        uint96 increase;
        if (changes & _CHANGE_AMOUNT != 0) {
            if (amendment.amount == 0) revert InvalidTerms(Term.AMOUNT);
            uint96 oldMaximum = _maximum(amounts.amount, credit.toleranceBps);
            uint96 newMaximum = _maximum(amendment.amount, credit.toleranceBps);
            uint96 committed = oldMaximum - amounts.escrowed + _escrows[id].reserved;
            if (newMaximum < committed) revert AmendmentBelowCommitted(id, newMaximum, committed);
            if (newMaximum > oldMaximum) increase = newMaximum - oldMaximum;
        }
        uint16 number = ++_details[id].amendments;
        _pending[id] = PendingAmendment({
            changes: changes,
            confirmationDeclined: false,
            funded: false,
            amount: amendment.amount,
            escrowIncrease: increase,
            expiry: expiry,
            latestShipment: latest,
            termsHash: amendment.termsHash
        });
        emit AmendmentIssued(id, number, amendment);
    }

    /// @notice The payer escrows the increase of the pending amendment, from its own address in its own transaction
    /// (approve this contract for exactly that amount first). Nobody else can spend the payer's money for it.
    function fundAmendment(uint256 id) external onlyDelegated nonReentrant {
        _credit(id);
        address payer = _details[id].payer;
        if (msg.sender != payer) revert NotPayer(id, msg.sender, payer);
        PendingAmendment memory amendment = _requirePending(id);
        if (amendment.escrowIncrease == 0 || amendment.funded) revert NothingToFund(id);
        _pending[id].funded = true;
        _amounts[id].escrowed += amendment.escrowIncrease;
        emit AmendmentFunded(id, _details[id].amendments, amendment.escrowIncrease);
        _pull(_escrows[id].token, payer, amendment.escrowIncrease);
    }

    /// @notice The beneficiary answers the pending amendment. `acceptedChanges` must name every change it makes:
    /// accepting only some of them is a rejection (UCP 600 Art. 10(e)).
    function acceptAmendment(uint256 id, uint8 acceptedChanges) external onlyDelegated nonReentrant {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.beneficiary, Party.BENEFICIARY);
        PendingAmendment memory amendment = _requirePending(id);
        if (acceptedChanges != amendment.changes) {
            _rejectAmendment(id, true);
        } else {
            if (amendment.escrowIncrease != 0 && !amendment.funded) {
                revert AmendmentNotFunded(id, _details[id].amendments, amendment.escrowIncrease);
            }
            _applyAmendment(id, credit, amendment, false);
        }
    }

    /// @notice The beneficiary rejects the pending amendment; an escrowed increase goes back to the payer.
    function rejectAmendment(uint256 id) external onlyDelegated nonReentrant {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.beneficiary, Party.BENEFICIARY);
        _requirePending(id);
        _rejectAmendment(id, false);
    }

    /// @notice The confirming bank does not extend its confirmation to the pending amendment: once the amendment
    /// is accepted, only the issuing bank examines and honours.
    function declineAmendmentConfirmation(uint256 id) external onlyDelegated {
        Credit memory credit = _credit(id);
        _onlyParty(id, credit.confirmingBank, Party.CONFIRMING_BANK);
        if (credit.flags & _CONFIRMED == 0) revert NotParty(id, credit.confirmingBank, Party.CONFIRMING_BANK);
        _requirePending(id);
        _pending[id].confirmationDeclined = true;
        emit AmendmentConfirmationDeclined(id, _details[id].amendments);
    }


    /*//////////////////////////////////////////////////////////////
                          HELD PAYMENTS AND BILLS
    //////////////////////////////////////////////////////////////*/

    /// @notice Withdraw what a token refused to pay the caller (as payee or payer), to an address of its choice.
    function withdraw(address token, address to) external onlyDelegated nonReentrant {
        uint256 amount = _owed[token][msg.sender];
        if (amount == 0) revert NothingOwed(token, msg.sender);
        if (to == address(0)) revert InvalidPayee(to);
        delete _owed[token][msg.sender];
        emit PaymentWithdrawn(token, msg.sender, to, uint96(amount));
        IERC20(token).safeTransfer(to, amount);
    }

    /// @notice Deliver a bill held for an organisation that could not take it when it was released (anyone may call
    /// it once that organisation is active again). If it was revoked for good, the bill goes to the party named
    /// to take it instead (the other of applicant and issuing bank), once that one is active.
    function deliverHeldBill(bytes32 bill) external onlyDelegated nonReentrant {
        HeldBill memory held = _heldBills[bill];
        uint32 to = held.heldFor;
        if (to != 0 && held.otherwise != 0 && registry.statusOf(to) == IPortRegistry.Status.REVOKED) {
            to = held.otherwise;
        }
        if (to == 0 || registry.statusOf(to) != IPortRegistry.Status.ACTIVE) revert BillNotDeliverable(bill, to);
        delete _heldBills[bill];
        emit HeldBillDelivered(bill, to);
        billOfLading.endorse(bill, to);
    }

    /// @notice What a token refused to pay `account` and is held here for it.
    function owedTo(address token, address account) external view returns (uint256) {
        return _owed[token][account];
    }

    /// @notice The organisation a held bill waits for (0: none).
    function heldFor(bytes32 bill) external view returns (uint32) {
        return _heldBills[bill].heldFor;
    }


    /*//////////////////////////////////////////////////////////////
                                 QUERIES
    //////////////////////////////////////////////////////////////*/

    /// @notice Everything about credit `id` in one call.
    function creditOf(uint256 id) external view returns (CreditView memory view_) {
        Credit memory credit = _credit(id);
        Amounts memory amounts = _amounts[id];
        Escrow memory escrow = _escrows[id];
        Details memory details = _details[id];
        uint96 maximum = _maximum(amounts.amount, credit.toleranceBps);
        view_.state = credit.state;
        view_.advised = credit.flags & _ADVISED != 0;
        view_.confirmed = credit.flags & _CONFIRMED != 0;
        view_.confirmationLapsed = credit.flags & _CONFIRMATION_LAPSED != 0;
        view_.cancellationConsented = credit.flags & _CANCELLATION_CONSENTED != 0;
        view_.billToIssuer = credit.flags & _BILL_TO_ISSUER != 0;
        view_.partialDrawings = credit.flags & _PARTIAL_DRAWINGS != 0;
        view_.toleranceBps = credit.toleranceBps;
        view_.presentationDays = credit.presentationDays;
        view_.requiredDocuments = credit.requiredDocuments;
        view_.applicant = credit.applicant;
        view_.beneficiary = credit.beneficiary;
        view_.issuingBank = credit.issuingBank;
        view_.advisingBank = credit.advisingBank;
        view_.confirmingBank = credit.confirmingBank;
        view_.expiry = credit.expiry;
        view_.latestShipment = amounts.latestShipment;
        view_.token = escrow.token;
        view_.payer = details.payer;
        view_.amount = amounts.amount;
        view_.maxDrawable = maximum;
        view_.escrowed = amounts.escrowed;
        view_.reserved = escrow.reserved;
        view_.available = _available(id, amounts.escrowed, escrow.reserved);
        view_.presentations = amounts.presentations;
        view_.amendments = details.amendments;
        view_.amendmentPending = _pending[id].changes != 0;
        view_.termsHash = details.termsHash;
        view_.applicationBlock = details.applicationBlock;
        PendingAmendment memory pending = _pending[id];
        view_.amendmentIncrease = pending.escrowIncrease;
        view_.amendmentFunded = pending.funded;
    }

    /// @notice One presentation in one call.
    function presentationOf(uint256 id, uint16 number) external view returns (PresentationView memory) {
        _credit(id);
        Presentation memory p = _presentation(id, number);
        return PresentationView(p.state, p.discrepancies, p.presentedAt, p.deadline, p.amount, p.payee, p.bill);
    }

    /// @notice The pending amendment of credit `id` (all zero if none) and its number.
    function pendingAmendmentOf(uint256 id) external view returns (AmendmentTerms memory amendment, uint16 number) {
        PendingAmendment memory pending = _pending[id];
        amendment = AmendmentTerms(
            pending.changes, pending.amount, pending.expiry, pending.latestShipment, pending.termsHash
        );
        number = pending.changes == 0 ? 0 : _details[id].amendments;
    }

    /// @notice Whether `day` (unix time / 86400) is a banking day of organisation `bank`.
    function isBankingDay(uint32 bank, uint32 day) external view returns (bool) {
        return _isBankingDay(bank, day);
    }

    /// @notice The end (unix time) of the fifth banking day of `bank` after the day of `timestamp`.
    function examinationDeadline(uint32 bank, uint256 timestamp) external view returns (uint40) {
        return _examinationDeadline(bank, timestamp);
    }

    /// @notice Number of credits ever applied for.
    function creditCount() external view returns (uint256) {
        return _creditCount;
    }

}
