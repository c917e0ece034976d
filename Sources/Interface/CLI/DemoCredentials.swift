/// Fake push credentials for `herald demo`: a P-256 key standing in for an APNs `.p8` file and an RSA key standing
/// in for a Google service account's. They were made for the demo with `openssl genpkey`, are published here, and
/// are registered with no Apple or Google account, so they can sign nothing anyone trusts. Never use them elsewhere.
enum DemoCredentials {
    static let apnsKey = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgT7XODUFEZUFqpPzC
        S8z8VaaVdaIcQ7nt0quX4k73BPyhRANCAAS0RTZ31q1u2PjL7X4WvKqpM0MBn72G
        UtbW8tlLGb8XFII+1wJ3HaKTO4hG1+M+llrmHsHW8mJCBykCSp7BCzXY
        -----END PRIVATE KEY-----
        """

    static let serviceAccountKey = """
        -----BEGIN PRIVATE KEY-----
        MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCmGym4bjb5YqcD
        rPDAQJFhiw2e4Juq5cruVEsbEwd2+eCHF/NuBoZ4DmLjSGGQRr0uvoN76hjskmQQ
        eUvS86xjq7v3x4AUqMReDuh5oG0wP+UVe1bqvdftPh2Kl7l1XH6BLL7OPDLFl0mp
        tPCpwu6Ch8zdmJEvFHOdj5NDoJEdqplUT0m2sVMLR7M7seyRyTkBCw2uXCQqwS8i
        KWrDWxCIg1pFEgwNtlSgytfIQFfyHvTW1Ge8sDDSAPmkpjkk/7KpqrEP5nGzfrRb
        3r+9jkbnF74GV/4dKMeIlfsoK1QDksON9TNw8TyuMfXSwZY/AWzc43t2Oekb0nuO
        9uT0oJa5AgMBAAECggEABGLSOrL6U6J1u4SdBM6PqC42SVwv8BbKQXnLU+cwOsWF
        VrvcqyqT8Wab2NmH7fnYM/xG14ZKazDAYKj7RhI2GpmlyHilmqYMLVmibNe+GliN
        kYAkvuUNZw/NUuQHuyAanQmT7jkrtAj3InqLIkhp6NtyHuXQ65fUJ7RrVI1QV6Kn
        LWcCLkgQhIjrkkpbL8a6szR80WhQMHuA27FnNsFxXzJ7nP0O25QFxjGf0efOcMtB
        qS2EiYUV6Ju5txBz/e/3fvJXWAxJV9tEk323ENOED4DB45mPzyU6sy8gfET6cp14
        qJOEGhTio2mwfrBi1xwIaFmfLgVtp/fjwf+eBJ5mAQKBgQDVKe6Aeoo8HnfQVilH
        Kq4eQapfmUn6eACbrhpUXQ63RtxOBsx0/EuR0ewvVg6cLcAV3c8gp1gqEvdqfaQp
        /dXzPIPl3P0/qQLAsIaCWOjrNEVPQU6l3mtn3dK/lu9u/EGHDyWJS75C+6K7jUqQ
        9tbqNzOtj6pQ8CXIh+cu7KhCOQKBgQDHfGFKommwijkgLyRGtI/T+IbFBxJe1jpZ
        byNxNSkyCH9bBbxUej7+ipz5I8U/HiMvrjan5pQZIqaw/Iasf0OSd5rhCRmo9XYL
        X9ruY+Tpo3a6wUV+TrX/92sJ82TELGMFmtGiqQKkcX5zZFOo+L6EEeVtDny04paf
        qi1ekTD4gQKBgFVVoAEXDVfb6qMgmw2+bE34g7gZqZ/3gmbQYAH97vI4D+G8nwUG
        K0qI+0BH9zlWp1sZnN25oHXXeezLt3iIAaqKQ1M2ELv3cP6qrG5qIXRnTIfZ4R5N
        2DmQd9nzFo8btS/YRHKeO+Cc1By5B2zZJFhHGQ0WQlx8huOsZERIwWMhAoGAT7vs
        W1uNaQ3mhXGySzySnIQiwg/wjM2N5v9gKDi6bZAt72DchNuT4EPhOEfO6EqQf9df
        az7jhSRvgiB9Z+c6SAnccwQjKIBsHWHD7TMqZSR8KWtk7nZhkpz/QKvzY+Hl9nCK
        SDzLnJTsmQzJz6kU5U8N58g5mkdTMyBfIARikYECgYATP5Ey0UG9R4biRZcYD+c+
        7MKnKRzgnNx4wuSRABYT1WOSNFbJVdZh4bna7hUtdzqf28+Oc9kSMGwJ1YDmStud
        ItGdvunGo0a3jHwVX+Nnrg5QGipF1KoUYLfB7JdEG5B0ZhTTdX0J+I2W3q600TUV
        +T6a++CNnu2DVT2dOIytKQ==
        -----END PRIVATE KEY-----
        """
}
