using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace WeComPS.Loader
{
    /// <summary>
    /// Imported first (the manifest's NestedModules), before PowerShell reads the cmdlets in WeComPS.dll, it decides
    /// where the module's libraries come from:
    /// <list type="bullet">
    /// <item>On .NET 10 or later (PowerShell 7.6) on a platform with a precompiled/&lt;rid&gt;/ folder, the module's
    /// own libraries load from there now, so the cmdlets bind to code compiled ahead of time (ReadyToRun) rather than
    /// compiled at first use; that is most of a fresh process's start-up cost. Elsewhere (Windows PowerShell 5.1,
    /// other platforms) the IL copies beside WeComPS.dll serve, unchanged.</item>
    /// <item>Third-party DLLs load from dependencies/ (or their precompiled copy) when the runtime cannot bind them.
    /// On PowerShell 7 they go into the module's own AssemblyLoadContext, so another module's (or PowerShell's own)
    /// versions neither break WeComPS nor are broken by it; on Windows PowerShell 5.1 they load by path, which also
    /// stands in for the binding redirects .NET Framework would otherwise need. It answers only for a DLL the module
    /// ships, asked for by one of the module's own assemblies, at the version shipped or an older one: any other
    /// request is left to PowerShell and the other modules.</item>
    /// </list>
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer
    {
        private static readonly string ModuleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
        private static readonly string DependencyFolder = Path.Combine(ModuleFolder, "dependencies");
        private static readonly string? PrecompiledFolder = FindPrecompiledFolder();
        private static readonly string? PrecompiledDependencyFolder = PrecompiledFolder is null ? null : Path.Combine(PrecompiledFolder, "dependencies");
        private static readonly string?[] OwnFolders = { ModuleFolder, DependencyFolder, PrecompiledFolder, PrecompiledDependencyFolder };

        private static readonly Lazy<Func<string, Assembly>?> IsolatedLoad = new Lazy<Func<string, Assembly>?>(CreateLoadContext);
        private static readonly ConcurrentDictionary<string, Assembly> Loaded = new ConcurrentDictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

        /// <summary>
        /// One subscription a process, never removed: runspaces import and remove the module independently (and
        /// Import-Module -Force imports again without removing), while the resolver answers only for the module's own
        /// assemblies, which cannot unload anyway.
        /// </summary>
        static ModuleInitializer() => AppDomain.CurrentDomain.AssemblyResolve += ResolveDependency;

        public void OnImport() => LoadPrecompiledOwnAssemblies();

        /// <summary>
        /// The precompiled copies of the module's own libraries (those beside WeComPS.dll), into PowerShell's context,
        /// where the cmdlets' references then bind to them by name and type names such as [WeComPS.WeComUser] resolve.
        /// A library already loaded (the module imported before in this process) stays as it is; an image that does
        /// not load leaves the IL copy to serve.
        /// </summary>
        private static void LoadPrecompiledOwnAssemblies()
        {
            if (PrecompiledFolder is null)
            {
                return;
            }

            var loaded = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name).ToList();
            foreach (var il in Directory.GetFiles(ModuleFolder, "*.dll"))
            {
                if (!loaded.Contains(Path.GetFileNameWithoutExtension(il), StringComparer.OrdinalIgnoreCase))
                {
                    LoadPrecompiled(il, PrecompiledFolder, Assembly.LoadFrom);
                }
            }
        }

        private static Assembly? ResolveDependency(object? sender, ResolveEventArgs args)
        {
            var wanted = new AssemblyName(args.Name);
            var path = Path.Combine(DependencyFolder, wanted.Name + ".dll");
            if (!IsOwn(args.RequestingAssembly) || !File.Exists(path))
            {
                return null;
            }

            if (wanted.Version != null && AssemblyName.GetAssemblyName(path).Version < wanted.Version)
            {
                return null;
            }

            return Loaded.GetOrAdd(wanted.Name!, _ =>
            {
                Func<string, Assembly> load = IsolatedLoad.Value ?? Assembly.LoadFrom;
                return (PrecompiledDependencyFolder is null ? null : LoadPrecompiled(path, PrecompiledDependencyFolder, load)) ?? load(path);
            });
        }

        /// <summary>
        /// The precompiled copy of the IL library at <paramref name="il"/> in <paramref name="folder"/>, loaded with
        /// <paramref name="load"/>; null, and the IL copy serves, when there is none compiled from this very IL (an image
        /// left from another build or package) or it does not load (damaged, unreadable, or refused by the runtime).
        /// </summary>
        private static Assembly? LoadPrecompiled(string il, string folder, Func<string, Assembly> load)
        {
            var image = Path.Combine(folder, Path.GetFileName(il));
            try
            {
                return File.Exists(image) && SameModule(image, il) ? load(image) : null;
            }
            catch (Exception ex) when (ex is BadImageFormatException || ex is IOException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>
        /// True when both files are the same module (MVID), which crossgen2 keeps. Reached only on .NET 10, whose runtime
        /// has System.Reflection.Metadata, and compiled apart so that .NET Framework, which lacks it, never compiles it.
        /// </summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static bool SameModule(string image, string il)
        {
            static Guid Mvid(string path)
            {
                using var pe = new PEReader(File.OpenRead(path));
                var metadata = pe.GetMetadataReader();
                return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
            }

            return Mvid(image) == Mvid(il);
        }

        /// <summary>The module's assemblies: those in its folders (precompiled or not), and the dependencies loaded from them.</summary>
        private static bool IsOwn(Assembly? requesting)
        {
            // An assembly loaded from bytes has no location (and no folder to be the module's).
            if (requesting is null || requesting.IsDynamic || string.IsNullOrEmpty(requesting.Location))
            {
                return false;
            }

            var folder = Path.GetDirectoryName(requesting.Location);
            return OwnFolders.Any(f => string.Equals(folder, f, StringComparison.OrdinalIgnoreCase));
        }

        /// <summary>
        /// precompiled/&lt;rid&gt;/ for this process's platform, when it exists and the runtime is .NET 10 or later: the
        /// images are compiled for .NET 10, and .NET Framework (version 4) cannot use them at all.
        /// </summary>
        private static string? FindPrecompiledFolder()
        {
            if (Environment.Version.Major < 10)
            {
                return null;
            }

            var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "win"
                : RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? "linux"
                : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "osx"
                : null;
            var architecture = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X64 => "x64",
                Architecture.Arm64 => "arm64",
                _ => null,
            };
            var folder = Path.Combine(ModuleFolder, "precompiled", os + "-" + architecture);
            return os != null && architecture != null && Directory.Exists(folder) ? folder : null;
        }

        /// <summary>On .NET (PowerShell 7) a private AssemblyLoadContext, found by reflection from netstandard2.0; null on .NET Framework.</summary>
        private static Func<string, Assembly>? CreateLoadContext()
        {
            var type = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");
            if (type is null)
            {
                return null;
            }

            var context = type.GetConstructor(new[] { typeof(string), typeof(bool) })!.Invoke(new object[] { "WeComPS", false });
            var loadFromPath = type.GetMethods().Single(m => m.Name == "LoadFromAssemblyPath" && m.GetParameters().Length == 1);
            return path => (Assembly)loadFromPath.Invoke(context, new object[] { path })!;
        }
    }
}
