import XCTest
import Foundation
import VigilOVAL
@testable import VigilProbes

/// A small offline root with systemd unit files.
func systemdFixture() throws -> SysProbeFixture {
    let fx = try SysProbeFixture()
    let lib = "/usr/lib/systemd/system", old = "/lib/systemd/system", etc = "/etc/systemd/system"
    try fx.write(lib + "/multi-user.target", "[Unit]\nDescription=Multi-User System\nRequires=basic.target\n")
    try fx.write(lib + "/basic.target", "[Unit]\nRequires=sysinit.target\nWants=sockets.target\n")
    try fx.write(lib + "/sysinit.target", "[Unit]\nDescription=System Initialization\n")
    try fx.write(lib + "/sockets.target", "[Unit]\nDescription=Sockets\n")
    try fx.write(lib + "/getty.target", "[Unit]\nDescription=Login Prompts\n")
    try fx.write(lib + "/dbus.socket", "[Unit]\nDescription=D-Bus Socket\n[Socket]\nListenStream=/run/dbus/system_bus_socket\n")
    try fx.symlink(lib + "/sockets.target.wants/dbus.socket", to: "../dbus.socket")
    try fx.symlink(lib + "/multi-user.target.wants/getty.target", to: "../getty.target")
    try fx.write(old + "/ssh.service", """
        [Unit]
        Description=OpenBSD Secure Shell server
        After=network.target \\
              auditd.service
        # a comment
        [Service]
        ExecStart=/usr/sbin/sshd -D
        [Install]
        WantedBy=multi-user.target
        Alias=sshd.service

        """)
    try fx.write(etc + "/ssh.service.d/override.conf", "[Unit]\nDescription=Overridden\n")
    try fx.symlink(etc + "/multi-user.target.wants/ssh.service", to: old + "/ssh.service")
    try fx.symlink(etc + "/sshd.service", to: old + "/ssh.service")
    try fx.write(lib + "/rsync.service", "[Unit]\nDescription=rsync\n[Install]\nWantedBy=multi-user.target\n")
    try fx.symlink(etc + "/rsync.service", to: "/dev/null")
    try fx.write(old + "/cron.service", "[Unit]\nDescription=cron\n[Install]\nWantedBy=multi-user.target\n")
    try fx.write(old + "/getty@.service", "[Unit]\nDescription=Getty on %I\n[Install]\nWantedBy=getty.target\n")
    try fx.symlink(etc + "/getty.target.wants/getty@tty1.service", to: old + "/getty@.service")
    return fx
}

final class SystemdUnitFilesTests: XCTestCase {
    func testUnitsAliasesMasksAndInstances() throws {
        let fx = try systemdFixture()
        let files = SystemdUnitFiles(target: try fx.offlineTarget())
        XCTAssertEqual(files.unitNames, ["basic.target", "cron.service", "dbus.socket", "getty.target",
                                         "getty@tty1.service", "multi-user.target", "rsync.service", "sockets.target",
                                         "ssh.service", "sysinit.target"])
        XCTAssertEqual(files.unit("sshd.service")?.name, "ssh.service")
        XCTAssertEqual(files.unit("rsync.service")?.masked, true)
        XCTAssertEqual(files.unit("getty@tty1.service")?.settings["Unit"]?["Description"], ["Getty on %I"])
        let ssh = try XCTUnwrap(files.unit("ssh.service"))
        XCTAssertEqual(files.listSetting(ssh, "After"), ["network.target", "auditd.service"])
    }

    func testFileStates() throws {
        let fx = try systemdFixture()
        let files = SystemdUnitFiles(target: try fx.offlineTarget())
        func state(_ n: String) -> String? { files.unit(n).map { files.unitFileState($0) } }
        XCTAssertEqual(state("ssh.service"), "enabled")
        XCTAssertEqual(state("rsync.service"), "masked")
        XCTAssertEqual(state("cron.service"), "disabled")
        XCTAssertEqual(state("sysinit.target"), "static")
        XCTAssertEqual(state("getty@tty1.service"), "enabled")
    }

    func testDependenciesMergeSettingsAndDirectories() throws {
        let fx = try systemdFixture()
        let files = SystemdUnitFiles(target: try fx.offlineTarget())
        XCTAssertEqual(files.requires("multi-user.target"), ["basic.target"])
        XCTAssertEqual(files.wants("multi-user.target"), ["ssh.service", "getty.target"])
        XCTAssertEqual(files.wants("basic.target"), ["sockets.target"])
        XCTAssertEqual(files.wants("getty.target"), ["getty@tty1.service"])
    }
}
