import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The HTTP/1.1 listener of `--metrics-listen`: `GET /metrics` (the Prometheus text
/// exposition), `GET /healthz` (200 `ok`, or 503 with the reason), 404 for any other path,
/// 405 for any other method; a request whose target or body is larger than the limits
/// below is refused (414, 413). Each answer closes the connection.
public final class MetricsServer: Sendable {
    /// The longest request target taken, in bytes.
    static let maxTarget = 2048
    /// The largest request body taken, in bytes (a GET has none).
    static let maxBody = 4096

    /// What the endpoints serve: the metrics text and the health (nil: healthy, else why not).
    public struct Endpoints: Sendable {
        public var metrics: @Sendable () -> [UInt8]
        public var health: @Sendable () -> String?

        public init(metrics: @escaping @Sendable () -> [UInt8], health: @escaping @Sendable () -> String?) {
            self.metrics = metrics
            self.health = health
        }
    }

    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    /// The port the listener is bound to (the chosen one when 0 was asked).
    public let port: Int

    /// Binds `address` and starts serving on one thread of its own.
    public init(address: ListenAddress, endpoints: Endpoints) throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.backlog, value: 64)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline(withErrorHandling: true).flatMap {
                    channel.pipeline.addHandler(MetricsHTTPHandler(endpoints: endpoints))
                }
            }
        do {
            channel = try bootstrap.bind(host: address.host, port: address.port).wait()
        } catch {
            try? group.syncShutdownGracefully()
            throw ListenAddressError(description: "--metrics-listen \(address): cannot listen: \(error)")
        }
        self.group = group
        port = channel.localAddress?.port ?? address.port
    }

    /// Stops listening and ends the server's thread.
    public func stop() {
        try? channel.close().wait()
        try? group.syncShutdownGracefully()
    }
}

/// One connection's requests: answered when complete, then the connection is closed.
final class MetricsHTTPHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let endpoints: MetricsServer.Endpoints
    private var head: HTTPRequestHead?
    private var bodyBytes = 0
    private var answered = false

    init(endpoints: MetricsServer.Endpoints) { self.endpoints = endpoints }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h):
            head = h
            bodyBytes = 0
            answered = false
            if h.uri.utf8.count > MetricsServer.maxTarget { respond(context, .uriTooLong, "request target too long\n") }
        case .body(let buffer):
            bodyBytes += buffer.readableBytes
            if bodyBytes > MetricsServer.maxBody { respond(context, .payloadTooLarge, "request body too large\n") }
        case .end:
            guard let head, !answered else { return }
            let (status, type, body) = answer(head)
            respond(context, status, body, type: type)
        }
    }

    /// The status, content type and body for a complete request.
    func answer(_ head: HTTPRequestHead) -> (HTTPResponseStatus, String, [UInt8]) {
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let text = "text/plain; charset=utf-8"
        guard path == "/metrics" || path == "/healthz" else { return (.notFound, text, Array("not found\n".utf8)) }
        guard head.method == .GET || head.method == .HEAD else { return (.methodNotAllowed, text, Array("method not allowed\n".utf8)) }
        if path == "/metrics" { return (.ok, "text/plain; version=0.0.4; charset=utf-8", endpoints.metrics()) }
        if let problem = endpoints.health() { return (.serviceUnavailable, text, Array((problem + "\n").utf8)) }
        return (.ok, text, Array("ok\n".utf8))
    }

    private func respond(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ body: String) {
        respond(context, status, Array(body.utf8), type: "text/plain; charset=utf-8")
    }

    private func respond(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ body: [UInt8], type: String) {
        guard !answered else { return }
        answered = true
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: "close")
        if status == .methodNotAllowed { headers.add(name: "Allow", value: "GET, HEAD") }
        let version = head?.version ?? .http1_1
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: version, status: status, headers: headers))), promise: nil)
        if head?.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
