using System.Net;

namespace WeComPS.Tests
{
    /// <summary>On Windows PowerShell the process's TLS setting is shared by everyone: TLS 1.2 is added where it is missing, nothing is taken away.</summary>
    public sealed class TlsSettingTests
    {
        private const SecurityProtocolType Tls13 = (SecurityProtocolType)12288;

        [Fact]
        public void AddsTls12ToOldDefaults() =>
            Assert.Equal(SecurityProtocolType.Tls | SecurityProtocolType.Tls11 | SecurityProtocolType.Tls12, WeComConnection.WithTls12(SecurityProtocolType.Tls | SecurityProtocolType.Tls11));

        [Fact]
        public void KeepsWhatIsAllowed() =>
            Assert.Equal(SecurityProtocolType.Tls12 | Tls13, WeComConnection.WithTls12(Tls13));

        [Fact]
        public void LeavesTheSystemDefaultToTheOperatingSystem() =>
            Assert.Equal((SecurityProtocolType)0, WeComConnection.WithTls12((SecurityProtocolType)0));
    }
}
