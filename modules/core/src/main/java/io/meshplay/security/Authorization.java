package io.meshplay.security;

/**
 * What a {@link CallAuthorizer} decided about one call.
 *
 * @param allowed whether the call may proceed
 * @param reason  why, in words a caller can act on, e.g. {@code intention denies client-pingpong -> example};
 *                sent with {@code PERMISSION_DENIED}, so it holds no secret
 */
public record Authorization(boolean allowed, String reason) {

    public static Authorization allow(String reason) {
        return new Authorization(true, reason);
    }

    public static Authorization deny(String reason) {
        return new Authorization(false, reason);
    }
}
