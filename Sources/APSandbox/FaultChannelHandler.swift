import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Sits in each connection's pipeline between HTTP decoding and Hummingbird. It counts
/// accepted connections, and carries out the faults a route cannot: it closes the
/// connection instead of sending a marked response (drop), or sends the head with the
/// full Content-Length and only half the body before closing (truncate).
final class FaultChannelHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum Mode {
        case passThrough
        /// Everything of this response is swallowed; the connection is closing.
        case dropping
        /// Body bytes still allowed through before the cut.
        case truncating(remaining: Int)
    }

    private let state: SandboxState
    private var mode = Mode.passThrough

    init(state: SandboxState) { self.state = state }

    func handlerAdded(context: ChannelHandlerContext) {
        // One handler per connection, added when the connection is accepted.
        state.countConnection()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        if case .head(var head) = part, let date = state.dateHeader {
            // Hummingbird stamps its own Date after the responder; the channel has the last word.
            head.headerFields[.date] = date
            return forward(context: context, data: wrapOutboundOut(.head(head)), promise: promise)
        }
        forward(context: context, data: data, promise: promise)
    }

    /// Carries out the fault marked on a response, if any, and passes everything else on.
    private func forward(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        switch (mode, part) {
        case (_, .head(var head)) where head.headerFields[FaultMarker.header] != nil:
            let marker = head.headerFields[FaultMarker.header]
            head.headerFields[FaultMarker.header] = nil
            if marker == FaultMarker.drop {
                mode = .dropping
                promise?.succeed(())
                context.close(promise: nil)
                return
            }
            let length = head.headerFields[.contentLength].flatMap { Int($0) } ?? 0
            mode = .truncating(remaining: length / 2)
            context.write(wrapOutboundOut(.head(head)), promise: promise)
        case (.dropping, _):
            promise?.succeed(())
        case (.truncating(let remaining), .body(var buffer)):
            let count = min(remaining, buffer.readableBytes)
            mode = .truncating(remaining: remaining - count)
            if count > 0, let slice = buffer.readSlice(length: count) {
                context.write(wrapOutboundOut(.body(slice)), promise: promise)
            } else {
                promise?.succeed(())
            }
        case (.truncating, .end):
            // Close only once everything before has reached the socket.
            mode = .dropping
            let channel = context.channel
            let flushed = context.eventLoop.makePromise(of: Void.self)
            context.writeAndFlush(wrapOutboundOut(.body(ByteBuffer())), promise: flushed)
            flushed.futureResult.whenComplete { _ in channel.close(promise: nil) }
            promise?.succeed(())
        default:
            context.write(data, promise: promise)
        }
    }
}
