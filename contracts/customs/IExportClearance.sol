// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IExportClearance
/// @notice What the bill of lading asks customs before the carrier records a shipment on board.
interface IExportClearance {
    /// @notice The carrier cannot record shipped on board before customs clears the linked export declaration.
    /// @param status The export declaration's ICustoms.Status.
    error ExportNotCleared(bytes32 bill, bytes32 declaration, uint8 status);

    /// @notice Revert `ExportNotCleared` when the bill's shipper linked an export declaration to `bill` that
    /// customs has not released. (Declarations other organisations link to the bill do not count.)
    function requireExportCleared(bytes32 bill, uint32 shipper) external view;
}
