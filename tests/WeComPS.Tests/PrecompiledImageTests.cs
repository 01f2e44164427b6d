using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace WeComPS.Tests
{
    /// <summary>
    /// The precompiled (ReadyToRun) copies a Release build ships in out/WeComPS/precompiled/&lt;rid&gt;/: one for each
    /// platform, each the same module (MVID) as the IL copy it stands for, and really precompiled. A Debug build ships none.
    /// </summary>
    [Collection(BuiltModuleCollection.Name)]
    public sealed class PrecompiledImageTests
    {
        private static readonly string[] Platforms = { "win-x64", "linux-x64", "linux-arm64", "osx-arm64" };
        private readonly string _precompiled;

        public PrecompiledImageTests(BuiltModule module) => _precompiled = Path.Combine(module.Folder, "precompiled");

        private static bool ReleaseBuild =>
            typeof(PrecompiledImageTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration == "Release";

        [Fact]
        public void A_release_build_ships_the_module_s_libraries_precompiled_for_each_platform()
        {
            if (!ReleaseBuild)
            {
                Assert.False(Directory.Exists(_precompiled), "A Debug build left precompiled images beside libraries they may not match.");
                return;
            }

            foreach (var platform in Platforms)
            {
                foreach (var image in new[] { "WeComPS.Core.dll", "WeComPS.Sandbox.dll", "dependencies/Microsoft.Extensions.Caching.Memory.dll" })
                {
                    Assert.True(File.Exists(Path.Combine(_precompiled, platform, image)), $"precompiled/{platform}/{image} is missing.");
                }
            }
        }

        [Fact]
        public void Every_image_is_precompiled_code_of_the_very_library_beside_it()
        {
            var folder = Path.GetDirectoryName(_precompiled)!;
            var images = Directory.Exists(_precompiled) ? Directory.GetFiles(_precompiled, "*.dll", SearchOption.AllDirectories) : Array.Empty<string>();
            Assert.Equal(ReleaseBuild, images.Length > 0);
            foreach (var image in images)
            {
                // precompiled/<rid>/X.dll stands for X.dll, precompiled/<rid>/dependencies/X.dll for dependencies/X.dll.
                var relative = Path.GetRelativePath(_precompiled, image);
                var il = Path.Combine(folder, relative.Substring(relative.IndexOfAny(new[] { '/', '\\' }) + 1));
                var (imageMvid, precompiled) = Read(image);
                var (ilMvid, ilPrecompiled) = Read(il);
                Assert.True(precompiled, $"{relative} holds no precompiled code.");
                Assert.False(ilPrecompiled, $"{il} should be the IL copy.");
                Assert.True(imageMvid == ilMvid, $"{relative} was compiled from another build than {il}.");
            }
        }

        private static (Guid Mvid, bool Precompiled) Read(string path)
        {
            using var pe = new PEReader(File.OpenRead(path));
            var metadata = pe.GetMetadataReader();
            return (metadata.GetGuid(metadata.GetModuleDefinition().Mvid), pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0);
        }
    }
}
